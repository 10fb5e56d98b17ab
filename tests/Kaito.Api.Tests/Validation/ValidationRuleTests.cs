using Kaito.Api.Catalog;
using Kaito.Api.Serialization;
using Kaito.Api.Validation;

namespace Kaito.Api.Tests.Validation;

/// <summary>
/// One manifest per rule under tests/testdata/workspaces: each must be rejected with upstream's message at the right
/// field, and the quick-start manifests must pass unchanged.
/// </summary>
public sealed class ValidationRuleTests
{
    private static readonly WorkspaceValidator Validator = new(KaitoCatalog.LoadEmbedded());

    public static TheoryData<string> InvalidCases() => new(Directory.GetFiles(RepoPaths.Of("tests", "testdata", "workspaces", "invalid"), "*.yaml").Select(Path.GetFileName)!);

    public static TheoryData<string> UpdateCases() => new(Directory.GetDirectories(RepoPaths.Of("tests", "testdata", "workspaces", "update")).Select(Path.GetFileName)!);

    public static TheoryData<string> ValidCases() => new(Directory.GetFiles(RepoPaths.Of("tests", "testdata", "workspaces", "valid"), "*.yaml").Select(Path.GetFileName)!);

    public static TheoryData<string> QuickStarts() => new(Directory.GetFiles(RepoPaths.Of("examples"), "*.yaml").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Each_rule_rejects_its_example_with_upstreams_message(string file)
    {
        var path = RepoPaths.Of("tests", "testdata", "workspaces", "invalid", file);
        var expected = ExpectedErrors.Of(path);
        Assert.NotEmpty(expected);

        var errors = ErrorsOf(File.ReadAllText(path), old: null);

        foreach (var line in expected)
        {
            Assert.Contains(errors, e => e.StartsWith(line, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Each_rule_accepts_its_valid_example(string file)
    {
        var path = RepoPaths.Of("tests", "testdata", "workspaces", "valid", file);
        Assert.Contains(File.ReadLines(path), l => l.StartsWith("# valid: ", StringComparison.Ordinal));

        var errors = ErrorsOf(File.ReadAllText(path), old: null);

        Assert.Empty(errors);
    }

    [Theory]
    [MemberData(nameof(UpdateCases))]
    public void Each_update_rule_rejects_its_example(string dir)
    {
        var folder = RepoPaths.Of("tests", "testdata", "workspaces", "update", dir);
        var newPath = Path.Combine(folder, "new.yaml");
        var old = WorkspaceSerializer.Read(File.ReadAllText(Path.Combine(folder, "old.yaml")));
        Assert.True(Validator.ValidateCreate(old).IsValid, "the old workspace of an update case must be valid on its own");

        var errors = ErrorsOf(File.ReadAllText(newPath), old);

        var expected = ExpectedErrors.Of(newPath);
        if (File.ReadLines(newPath).First() == "# expect-valid")
        {
            Assert.Empty(errors);
            return;
        }

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), errors.Order());
    }

    [Theory]
    [MemberData(nameof(QuickStarts))]
    public void Quick_start_manifests_are_accepted_unchanged(string file)
    {
        var result = Validator.ValidateCreate(WorkspaceSerializer.Read(File.ReadAllText(RepoPaths.Of("examples", file))));

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void All_errors_are_reported_at_once()
    {
        var errors = ErrorsOf("""
            apiVersion: kaito.sh/v1alpha1
            kind: Workspace
            metadata: {name: ws}
            resource: {instanceType: Standard_bogus, labelSelector: {matchLabels: {a: b}}}
            tuning: {method: full, preset: {name: phi-9}}
            """, old: null);

        Assert.Contains(errors, e => e.StartsWith("tuning.method:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("tuning.preset.name:", StringComparison.Ordinal));
        Assert.Contains("tuning.input: Required value", errors);
        Assert.Contains("tuning.output: Required value", errors);
    }

    [Fact]
    public void Update_with_the_same_spec_is_valid()
    {
        var ws = WorkspaceSerializer.Read(File.ReadAllText(RepoPaths.Of("examples", "inference-phi-3.yaml")));

        Assert.True(Validator.ValidateUpdate(ws, ws).IsValid);
    }

    [Theory]
    [InlineData("Standard_NC6")]
    [InlineData("Standard_NC12")]
    [InlineData("Standard_NC24")]
    [InlineData("Standard_NC24r")]
    [InlineData("Standard_NV6")]
    [InlineData("Standard_NV12")]
    [InlineData("Standard_NV24")]
    [InlineData("Standard_NV12s_v3")]
    [InlineData("Standard_NV24s_v3")]
    [InlineData("Standard_NV48s_v3")]
    public void Retired_sku_is_refused_naming_the_skus_that_fit_the_preset(string sku)
    {
        var ws = WorkspaceSerializer.Read(File.ReadAllText(RepoPaths.Of("examples", "inference-phi-3.yaml")));
        ws.Resource!.InstanceType = sku;

        var error = Assert.Single(Validator.ValidateCreate(ws).Errors);

        Assert.Equal("resource.instanceType", error.Field);
        Assert.StartsWith($"Instance type {sku} is retired. SKUs that fit preset phi-3-mini-4k-instruct: Standard_", error.Message, StringComparison.Ordinal);
        var listed = error.Message[(error.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(", ");
        Assert.Contains("Standard_NC6s_v3", listed);
        Assert.DoesNotContain(listed, RetiredSkus.Contains);
        Assert.All(listed, name => Assert.True(Validator.Catalog.Skus.TryGet(name, out _), name));
    }

    [Fact]
    public void Retired_sku_with_a_template_lists_the_current_skus()
    {
        var errors = ErrorsOf("""
            apiVersion: kaito.sh/v1alpha1
            kind: Workspace
            metadata: {name: ws}
            resource: {instanceType: Standard_NV24, labelSelector: {matchLabels: {a: b}}}
            inference: {template: {spec: {containers: [{name: m, image: "myregistry.azurecr.io/m:1"}]}}}
            """, old: null);

        var error = Assert.Single(errors);
        Assert.StartsWith("resource.instanceType: Instance type Standard_NV24 is retired. Supported SKUs: Standard_", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_selector_errors_name_every_expression_at_once()
    {
        var errors = ErrorsOf("""
            apiVersion: kaito.sh/v1alpha1
            kind: Workspace
            metadata: {name: ws}
            resource:
              instanceType: Standard_NC6s_v3
              labelSelector:
                matchExpressions:
                  - {key: a, operator: In, values: [x]}
                  - {key: b, operator: Exists}
                  - {key: c, operator: In, values: []}
            inference: {preset: {name: phi-3-mini-4k-instruct}}
            """, old: null);

        Assert.Equal(
            [
                "resource.labelSelector.matchExpressions[1].operator: operator \"Exists\" cannot be converted into the old label selector format",
                "resource.labelSelector.matchExpressions[2].values: operator \"In\" without a single value cannot be converted into the old label selector format",
            ],
            errors);
    }

    [Fact]
    public void Unknown_n_series_sku_is_accepted_with_a_warning()
    {
        var ws = WorkspaceSerializer.Read(File.ReadAllText(RepoPaths.Of("examples", "inference-phi-3.yaml")));
        ws.Resource!.InstanceType = "Standard_NC999_future";

        var result = Validator.ValidateCreate(ws);

        Assert.True(result.IsValid);
        Assert.Contains(result.Warnings, w => w.Contains("Standard_NC999_future is not in the SKU catalog", StringComparison.Ordinal));
    }

    private static List<string> ErrorsOf(string yaml, Api.V1Alpha1.Workspace? old)
    {
        var doc = Assert.Single(WorkspaceSerializer.ReadAll(yaml));
        if (doc.Workspace is null)
        {
            return doc.Errors.Select(e => e.ToString()).ToList();
        }

        var result = old is null ? Validator.ValidateCreate(doc.Workspace) : Validator.ValidateUpdate(old, doc.Workspace);
        return result.Errors.Select(e => e.ToString()).ToList();
    }
}
