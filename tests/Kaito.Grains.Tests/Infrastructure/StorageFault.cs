namespace Kaito.Grains.Tests.Infrastructure;

/// <summary>What <see cref="FaultInjectionPolicy"/> does to one request.</summary>
public enum StorageFault
{
    /// <summary>The request reaches the service (and commits); the client sees a 503 instead of the answer.</summary>
    CommitThen503,

    /// <summary>The request reaches the service (and commits); the connection drops before the answer (IOException).</summary>
    CommitThenDroppedConnection,

    /// <summary>The request times out before it is sent: the service never sees it.</summary>
    TimeoutBeforeSend,
}
