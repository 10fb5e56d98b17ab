namespace Kaito.Testing.Arm;

/// <summary>A long-running create or delete of the imitation, completed after a number of polls unless held.</summary>
public sealed class ImitationOperation(string id, string pool, bool delete, int pollsUntilDone)
{
    public string Id { get; } = id;

    public string Pool { get; } = pool;

    public bool Delete { get; } = delete;

    public int PollsLeft { get; set; } = pollsUntilDone;

    /// <summary>InProgress, Succeeded, Failed.</summary>
    public string Status { get; set; } = "InProgress";

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }
}
