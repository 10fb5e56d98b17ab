namespace Kaito.Runtime.Generation;

/// <summary>Why a generation ended, in OpenAI's words.</summary>
public enum FinishReason
{
    /// <summary>The model produced EOS or a stop sequence matched.</summary>
    Stop,

    /// <summary>max_tokens (or the context) was reached.</summary>
    Length,
}
