namespace Kaito.Grains.Ports;

/// <summary>The <c>type</c> of a core/v1 Event: what kubectl prints in the Type column.</summary>
public enum KubernetesEventType
{
    Normal,
    Warning,
}
