namespace Kaito.Silo.ServiceBus;

public enum WorkspaceRequestOutcome
{
    Applied,
    Deleted,

    /// <summary>The request was carried out already (a redelivery), or there was nothing to delete.</summary>
    NoOp,
}
