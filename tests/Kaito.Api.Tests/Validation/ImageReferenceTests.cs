using Kaito.Api.Validation;

namespace Kaito.Api.Tests.Validation;

/// <summary>The distribution reference grammar, with the messages of upstream's parser (reference.ParseDockerRef).</summary>
public sealed class ImageReferenceTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("myregistry.azurecr.io/adapters/phi-3:0.0.1", "myregistry.azurecr.io", "adapters/phi-3", "0.0.1", null)]
    [InlineData("phi-3-adapter", null, "phi-3-adapter", null, null)]
    [InlineData("data-image:latest", null, "data-image", "latest", null)]
    [InlineData("team/data-image:latest", null, "team/data-image", "latest", null)]
    [InlineData("localhost/data:1", "localhost", "data", "1", null)]
    [InlineData("MyRegistry.azurecr.io:5000/data/train:v1.0", "MyRegistry.azurecr.io:5000", "data/train", "v1.0", null)]
    [InlineData("[::1]:5000/data:1", "[::1]:5000", "data", "1", null)]
    [InlineData("myregistry.azurecr.io/a__b/c-d.e:Tag_1", "myregistry.azurecr.io", "a__b/c-d.e", "Tag_1", null)]
    [InlineData($"myregistry.azurecr.io/adapters/phi-3@sha256:{Sha}", "myregistry.azurecr.io", "adapters/phi-3", null, $"sha256:{Sha}")]
    [InlineData($"myregistry.azurecr.io/adapters/phi-3:0.0.1@sha256:{Sha}", "myregistry.azurecr.io", "adapters/phi-3", "0.0.1", $"sha256:{Sha}")]
    public void Accepts_what_the_grammar_accepts(string text, string? domain, string path, string? tag, string? digest)
    {
        var reference = ImageReference.TryParse(text, out var error);

        Assert.Null(error);
        Assert.Equal(new ImageReference(domain, path, tag, digest), reference);
    }

    [Theory]
    [InlineData("myregistry.azurecr.io/INPUT:0.0.1", "invalid reference format: repository name (INPUT) must be lowercase")]
    [InlineData("!ValidImage", "invalid reference format: repository name (!ValidImage) must be lowercase")]
    [InlineData("AZURE_ACR.azurecr.io/test:0.0.0", "repository name must be lowercase")]
    [InlineData("myregistry.azurecr.io/a1:", "invalid reference format")]
    [InlineData("myregistry.azurecr.io/a b:1", "invalid reference format")]
    [InlineData("myregistry.azurecr.io/-a:1", "invalid reference format")]
    [InlineData("myregistry.azurecr.io/a:1:2", "invalid reference format")]
    [InlineData("", "repository name must have at least one component")]
    [InlineData(Sha, $"invalid repository name ({Sha}), cannot specify 64-byte hexadecimal strings")]
    [InlineData("myregistry.azurecr.io/a@sha256:0123456789abcdef0123456789abcdef", "invalid checksum digest length")]
    [InlineData($"myregistry.azurecr.io/a@md5:{Sha}", "unsupported digest algorithm")]
    [InlineData("myregistry.azurecr.io/a@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "invalid checksum digest format")]
    public void Refuses_with_the_parsers_message(string text, string expected)
    {
        Assert.Null(ImageReference.TryParse(text, out var error));

        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_name_over_255_characters_is_refused()
    {
        var text = "myregistry.azurecr.io/" + string.Join('/', Enumerable.Repeat(new string('a', 50), 5)) + ":1";

        Assert.Null(ImageReference.TryParse(text, out var error));

        Assert.Equal("repository name must not be more than 255 characters", error);
    }
}
