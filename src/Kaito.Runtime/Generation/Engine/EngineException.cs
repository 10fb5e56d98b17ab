namespace Kaito.Runtime.Generation.Engine;

/// <summary>A failure reported by GenAI's Engine API (the message is GenAI's, prefixed with the call that failed).</summary>
public sealed class EngineException : Exception
{
    public EngineException()
    {
    }

    public EngineException(string message)
        : base(message)
    {
    }

    public EngineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
