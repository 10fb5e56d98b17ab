using Kaito.Api.Catalog;
using Kaito.Api.Serialization;
using Kaito.Api.V1Alpha1;
using Kaito.Grains.EventLog;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Tests.Workspaces;

public sealed class CatalogWorkspaceSpecRulesTests
{
    private static readonly CatalogWorkspaceSpecRules Rules = new(KaitoCatalog.LoadEmbedded());

    private static Workspace Phi3(string instanceTypeLine, string annotations = "") => WorkspaceSerializer.Read($"""
        apiVersion: kaito.sh/v1alpha1
        kind: Workspace
        metadata:
          name: ws
          namespace: default{annotations}
        resource:
          {instanceTypeLine}
          labelSelector:
            matchLabels:
              apps: phi-3
        inference:
          preset:
            name: phi-3-mini-4k-instruct
        """);

    [Fact]
    public void An_omitted_instance_type_is_chosen_with_the_catalogs_reason()
    {
        var decision = Rules.CheckCreate(Phi3("count: 1"));

        Assert.Equal("Standard_NV18ads_A10_v5", decision.InstanceType);
        Assert.StartsWith("Standard_NV18ads_A10_v5 is the smallest of ", decision.InstanceTypeReason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_instance_type_the_webhook_filled_in_keeps_the_catalogs_reason_not_the_annotation_text()
    {
        var decision = Rules.CheckCreate(Phi3("instanceType: Standard_NV18ads_A10_v5",
            $"\n  annotations:\n    {WorkspaceAnnotations.InstanceTypeReason}: \"anything a user wrote\""));

        Assert.Equal("Standard_NV18ads_A10_v5", decision.InstanceType);
        Assert.StartsWith("Standard_NV18ads_A10_v5 is the smallest of ", decision.InstanceTypeReason, StringComparison.Ordinal);
        Assert.EndsWith("(filled in by the admission webhook)", decision.InstanceTypeReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n  annotations:\n    kaito.sh/instance-type-reason: \"not the catalog's choice\"")]
    public void A_users_own_instance_type_has_no_reason(string annotations)
    {
        Assert.Null(Rules.CheckCreate(Phi3("instanceType: Standard_NC6s_v3", annotations)).InstanceTypeReason);
    }

    [Fact]
    public void The_requested_event_carries_the_reason_into_the_audit_summary()
    {
        var context = new EventContext(DateTimeOffset.UnixEpoch, 1, "test", "test");
        var decision = Rules.CheckCreate(Phi3("count: 1"));
        var requested = new WorkspaceRequested(context, WorkspaceSpecFactory.Create(Phi3("count: 1"), decision), decision.InstanceTypeReason);

        Assert.Contains("; instance type: Standard_NV18ads_A10_v5 is the smallest of ", requested.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain("instance type:", (requested with { InstanceTypeReason = null }).Describe(), StringComparison.Ordinal);
    }
}
