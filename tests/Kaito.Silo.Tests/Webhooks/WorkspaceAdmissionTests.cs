using System.Text;
using System.Text.Json.Nodes;
using Kaito.Api.Catalog;
using Kaito.Api.Serialization;
using Kaito.Api.Validation;
using Kaito.Silo.Webhooks;

namespace Kaito.Silo.Tests.Webhooks;

public sealed class WorkspaceAdmissionTests
{
    private static readonly WorkspaceAdmission Admission = new(new WorkspaceValidator(KaitoCatalog.LoadEmbedded()));
    private static readonly string Invalid = RepoPaths.Of("tests", "testdata", "workspaces", "invalid");

    public static TheoryData<string> InvalidExamples() => new(Directory.GetFiles(Invalid, "*.yaml").Select(Path.GetFileName)!);

    private static JsonObject Example(string file = "inference-phi-3.yaml") => Node(File.ReadAllText(RepoPaths.Of("examples", file)));

    private static JsonObject Node(string yaml)
    {
        var node = YamlDocumentReader.Read(yaml)[0]!.AsObject();
        node["metadata"]!["namespace"] ??= "default";
        return node;
    }

    private static AdmissionRequest Create(JsonObject obj) => new() { Uid = "u-1", Operation = "CREATE", Object = obj };

    private static AdmissionRequest Update(JsonObject old, JsonObject updated) => new() { Uid = "u-2", Operation = "UPDATE", Object = updated, OldObject = old };

    private static JsonArray Patch(AdmissionResponse response) =>
        JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(response.Patch!)))!.AsArray();

    [Theory]
    [MemberData(nameof(InvalidExamples))]
    public void Each_invalid_example_is_refused_by_both_webhooks_with_the_lines_kaito_validate_prints(string file)
    {
        var path = Path.Combine(Invalid, file);
        var request = Create(Node(File.ReadAllText(path)));
        foreach (var response in new[] { Admission.Validate(request), Admission.Mutate(request) })
        {
            Assert.False(response.Allowed);
            Assert.Equal("u-1", response.Uid);
            var lines = response.Status!.Message.Split('\n');
            foreach (var expected in File.ReadLines(path).Where(l => l.StartsWith("# expect: ", StringComparison.Ordinal)))
            {
                Assert.Contains(lines, l => l.StartsWith(expected["# expect: ".Length..], StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Every_error_is_reported_at_once_one_per_line()
    {
        var ws = Example();
        ws["resource"]!["count"] = JsonNode.Parse("0");
        ws["inference"]!["preset"]!["name"] = "phi-9";

        var response = Admission.Validate(Create(ws));

        Assert.Equal(
            "Workspace default/workspace-phi-3-mini is invalid (2 errors):\nresource.count: Invalid value: 0: must be greater than or equal to 1\n"
            + "inference.preset.name: Unsupported inference preset name \"phi-9\"",
            response.Status!.Message);
        Assert.Equal(422, response.Status.Code);
    }

    [Theory]
    [InlineData("inference-phi-3.yaml")]
    [InlineData("inference-phi-3-adapters.yaml")]
    [InlineData("tuning-phi-3.yaml")]
    public void Quick_starts_are_allowed(string file)
    {
        Assert.True(Admission.Validate(Create(Example(file))).Allowed);
        Assert.True(Admission.Mutate(Create(Example(file))).Allowed);
    }

    [Fact]
    public void Defaulting_fills_count_and_the_smallest_fitting_sku_with_its_reason_as_an_annotation()
    {
        var ws = Example();
        ws["resource"]!.AsObject().Remove("instanceType");

        var response = Admission.Mutate(Create(ws));

        Assert.True(response.Allowed);
        Assert.Equal(AdmissionResponse.JsonPatchType, response.PatchType);
        var patch = Patch(response);
        Assert.Equal("""{"op":"add","path":"/resource/count","value":1}""", patch[0]!.ToJsonString());
        Assert.Equal("""{"op":"add","path":"/resource/instanceType","value":"Standard_NV18ads_A10_v5"}""", patch[1]!.ToJsonString());
        Assert.Equal("/metadata/annotations", patch[2]!["path"]!.GetValue<string>());
        Assert.StartsWith("Standard_NV18ads_A10_v5 is the smallest of ", patch[2]!["value"]![WorkspaceAdmission.InstanceTypeReasonAnnotation]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaulting_adds_to_existing_annotations_with_an_escaped_path()
    {
        var ws = Example();
        ws["resource"]!.AsObject().Remove("instanceType");
        ws["metadata"]!["annotations"] = new JsonObject { ["team"] = "a" };

        var patch = Patch(Admission.Mutate(Create(ws)));

        Assert.Equal("/metadata/annotations/kaito.sh~1instance-type-reason", patch[^1]!["path"]!.GetValue<string>());
    }

    [Fact]
    public void Defaulting_leaves_a_complete_spec_alone()
    {
        var ws = Example();
        ws["resource"]!["count"] = JsonNode.Parse("1");

        var response = Admission.Mutate(Create(ws));

        Assert.True(response.Allowed);
        Assert.Null(response.Patch);
    }

    [Fact]
    public void An_update_that_omits_the_sku_keeps_the_old_one_instead_of_failing_as_immutable()
    {
        var old = Example();
        old["resource"]!["count"] = JsonNode.Parse("1");
        var replaced = Example();
        replaced["resource"]!.AsObject().Remove("instanceType");
        replaced["inference"]!["adapters"] = new JsonArray();

        var response = Admission.Mutate(Update(old, replaced));

        Assert.True(response.Allowed, response.Status?.Message);
        Assert.Contains(Patch(response), op => op!["path"]!.GetValue<string>() == "/resource/instanceType" && op["value"]!.GetValue<string>() == "Standard_NC6s_v3");
    }

    [Fact]
    public void Update_rules_get_the_old_object()
    {
        var dir = RepoPaths.Of("tests", "testdata", "workspaces", "update", "instance-type-changed");

        var response = Admission.Validate(Update(Node(File.ReadAllText(Path.Combine(dir, "old.yaml"))), Node(File.ReadAllText(Path.Combine(dir, "new.yaml")))));

        Assert.False(response.Allowed);
        Assert.Contains("resource.instanceType: field is immutable", response.Status!.Message.Split('\n'));
    }

    [Fact]
    public void An_update_of_a_workspace_being_deleted_is_never_refused()
    {
        var old = Example();
        old["metadata"]!["deletionTimestamp"] = "2026-01-01T00:00:00Z";
        old["metadata"]!["finalizers"] = new JsonArray("workspace.finalizer.kaito.sh");
        var updated = old.DeepClone().AsObject();
        updated["inference"]!["preset"]!["name"] = "phi-9";

        Assert.True(Admission.Validate(Update(old, updated)).Allowed);
        var mutated = Admission.Mutate(Update(old, updated));
        Assert.True(mutated.Allowed);
        Assert.Null(mutated.Patch);
    }

    [Fact]
    public void An_update_that_only_removes_the_finalizer_is_allowed_even_when_the_stored_spec_no_longer_validates()
    {
        // A spec the rules refuse today (a preset since removed from the catalog): its finalizer must still come off.
        var old = Example();
        old["inference"]!["preset"]!["name"] = "phi-9";
        old["metadata"]!["finalizers"] = new JsonArray("workspace.finalizer.kaito.sh");
        var updated = old.DeepClone().AsObject();
        updated["metadata"]!.AsObject().Remove("finalizers");

        Assert.True(Admission.Validate(Update(old, updated)).Allowed);
        var mutated = Admission.Mutate(Update(old, updated));
        Assert.True(mutated.Allowed);
        Assert.Null(mutated.Patch);
    }

    [Fact]
    public void Deletes_are_never_judged()
    {
        var request = new AdmissionRequest { Uid = "u-3", Operation = "DELETE", OldObject = Example() };

        Assert.True(Admission.Validate(request).Allowed);
        Assert.True(Admission.Mutate(request).Allowed);
    }

    [Fact]
    public void A_generated_name_is_not_refused_as_missing()
    {
        var ws = Example();
        ws["metadata"]!.AsObject().Remove("name");
        ws["metadata"]!["generateName"] = "phi-";

        Assert.True(Admission.Validate(Create(ws)).Allowed);
    }

    [Fact]
    public void Tuning_warnings_reach_kubectl_as_warnings()
    {
        var response = Admission.Validate(Create(Example("tuning-phi-3.yaml")));

        Assert.True(response.Allowed);
        Assert.Contains(response.Warnings!, w => w.StartsWith("Standard_NC6s_v3 has 16Gi of GPU memory", StringComparison.Ordinal));
    }
}
