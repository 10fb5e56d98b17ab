namespace Kaito.Api.V1Alpha1;

public static class TuningMethods
{
    public const string Lora = "lora";
    public const string QLora = "qlora";
}
