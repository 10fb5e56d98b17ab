namespace Kaito.Runtime.Generation;

/// <summary>Text produced by a running generation; the last chunk carries the outcome (and may have empty text).</summary>
public readonly record struct GenerationChunk(string Text, GenerationOutcome? Outcome);
