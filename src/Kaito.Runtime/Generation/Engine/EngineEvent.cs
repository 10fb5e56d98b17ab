namespace Kaito.Runtime.Generation.Engine;

/// <summary>One event of an OgaEngineRun, copied out of the borrowed event view.</summary>
/// <param name="Request">The OgaRequest* it belongs to (the handle from OgaEngineCreateRequest).</param>
internal readonly record struct EngineEvent(nint Request, uint Flags, int Token, uint FinishReason, uint ErrorCode)
{
    public const uint TokenFlag = 1;
    public const uint TurnFinishedFlag = 2;
    public const uint FailedFlag = 8;

    /// <summary>OgaFinishReason_Eos.</summary>
    public const uint FinishedByEos = 1;

    /// <summary>OgaFinishReason_StopString.</summary>
    public const uint FinishedByStopString = 2;

    /// <summary>OgaFinishReason_Cancelled.</summary>
    public const uint FinishedByCancel = 5;

    public bool HasToken => (Flags & TokenFlag) != 0;

    public bool TurnFinished => (Flags & TurnFinishedFlag) != 0;

    public bool Failed => (Flags & FailedFlag) != 0;
}
