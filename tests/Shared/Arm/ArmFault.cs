namespace Kaito.Testing.Arm;

/// <summary>One scripted error answer: the next request with this method whose path contains the text gets it.</summary>
public sealed record ArmFault(string Method, string PathContains, int Status, string Code, string Message, int? RetryAfterSeconds = null);
