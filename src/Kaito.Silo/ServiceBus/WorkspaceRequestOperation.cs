namespace Kaito.Silo.ServiceBus;

public enum WorkspaceRequestOperation
{
    Apply,
    Delete,
}
