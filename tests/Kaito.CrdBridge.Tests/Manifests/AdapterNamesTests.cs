using Kaito.Api.Validation;
using Kaito.CrdBridge.Manifests;

namespace Kaito.CrdBridge.Tests.Manifests;

public sealed class AdapterNamesTests
{
    private static readonly string LongestName = string.Join('.', Enumerable.Repeat(new string('a', 63), 4))[..253];

    [Theory]
    [InlineData("phi-3-adapter")]
    [InlineData("a1")]
    public void A_name_that_is_a_dns_label_is_used_as_it_is(string name)
    {
        Assert.Equal(name, AdapterNames.ContainerName(name));
        Assert.Equal($"adapter-volume-{name}", AdapterNames.VolumeName(name));
    }

    [Theory]
    [InlineData("team.phi-3.adapter")]
    [InlineData("a.b")]
    [InlineData("phi-3-adapter-with-a-name-that-is-just-longer-than-sixty-three-ch")]
    [InlineData("x")]
    public void Every_dns_subdomain_maps_to_valid_container_and_volume_names(string name)
    {
        Assert.Null(Dns1123.CheckSubdomain(name));

        Assert.Null(Dns1123.CheckLabel(AdapterNames.ContainerName(name)));
        Assert.Null(Dns1123.CheckLabel(AdapterNames.VolumeName(name)));
    }

    [Fact]
    public void The_longest_subdomain_maps_to_a_label_of_at_most_63_characters()
    {
        Assert.Null(Dns1123.CheckSubdomain(LongestName));

        Assert.Null(Dns1123.CheckLabel(AdapterNames.ContainerName(LongestName)));
        Assert.Null(Dns1123.CheckLabel(AdapterNames.VolumeName(LongestName)));
    }

    [Fact]
    public void Names_that_differ_only_where_the_mapping_folds_stay_apart()
    {
        string[] names = ["a.b", "a-b", "a.b.c", "a-b.c", LongestName, LongestName[..^1] + "b"];

        Assert.Equal(names.Length, names.Select(AdapterNames.ContainerName).Distinct().Count());
        Assert.Equal(names.Length, names.Select(AdapterNames.VolumeName).Distinct().Count());
    }

    [Fact]
    public void The_mapping_is_stable()
    {
        Assert.Equal("team-phi-3-adapter-", AdapterNames.ContainerName("team.phi-3.adapter")[..19]);
        Assert.Equal(AdapterNames.ContainerName("team.phi-3.adapter"), AdapterNames.ContainerName("team.phi-3.adapter"));
    }
}
