using Kaito.Api.Crd;

namespace Kaito.Api.Tests.Crd;

public sealed class WorkspaceCrdTests
{
    [Fact]
    public void Committed_crd_is_the_generated_one()
    {
        var committed = File.ReadAllText(RepoPaths.Of("deploy", "crds", "kaito.sh_workspaces.yaml"));

        Assert.True(committed == WorkspaceCrd.ToYaml(),
            "deploy/crds/kaito.sh_workspaces.yaml is stale: run scripts/generate.sh and commit the result");
    }

    [Fact]
    public void Printer_columns_match_upstream_kubectl_output()
    {
        var version = Assert.Single(WorkspaceCrd.Build().Spec.Versions);

        var standard = version.AdditionalPrinterColumns.Where(c => c.Priority is null or 0).Select(c => c.Name.ToUpperInvariant());
        Assert.Equal(["INSTANCE", "RESOURCEREADY", "INFERENCEREADY", "WORKSPACEREADY", "AGE"], standard);
        Assert.Equal(".status.conditions[?(@.type==\"WorkspaceSucceeded\")].status", version.AdditionalPrinterColumns.Single(c => c.Name == "WorkspaceReady").JsonPath);
        Assert.Equal("JobStarted", version.AdditionalPrinterColumns.Single(c => c.Priority == 1).Name);
    }

    [Fact]
    public void Crd_has_status_subresource_short_names_and_typed_schema()
    {
        var crd = WorkspaceCrd.Build();
        var version = crd.Spec.Versions[0];
        var schema = version.Schema.OpenAPIV3Schema;

        Assert.Equal("apiextensions.k8s.io/v1", crd.ApiVersion);
        Assert.NotNull(version.Subresources.Status);
        Assert.Equal(["wk", "wks"], crd.Spec.Names.ShortNames);
        Assert.Equal("integer", schema.Properties["resource"].Properties["count"].Type);
        Assert.Equal("string", schema.Properties["inference"].Properties["adapters"].Items is k8s.Models.V1JSONSchemaProps items ? items.Properties["strength"].Type : null);
        Assert.Equal(["public", "private"], schema.Properties["inference"].Properties["preset"].Properties["accessMode"].EnumProperty.Cast<string>());
        Assert.Equal(["lastTransitionTime", "message", "reason", "status", "type"],
            ((k8s.Models.V1JSONSchemaProps)schema.Properties["status"].Properties["conditions"].Items).Required);
    }

    [Fact]
    public void Crd_uses_nothing_kubernetes_1_20_does_not_serve()
    {
        var yaml = WorkspaceCrd.ToYaml();

        Assert.DoesNotContain("x-kubernetes-validations", yaml, StringComparison.Ordinal); // CEL: 1.25+
        Assert.DoesNotContain("apiextensions.k8s.io/v1beta1", yaml, StringComparison.Ordinal); // removed in 1.22
        Assert.Contains("apiVersion: apiextensions.k8s.io/v1\n", yaml, StringComparison.Ordinal); // served since 1.16
    }
}
