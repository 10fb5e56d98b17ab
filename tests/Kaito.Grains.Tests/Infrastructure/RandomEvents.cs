using System.Collections.Immutable;
using System.Reflection;
using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Tests.Infrastructure;

/// <summary>
/// Events of every type with seeded random arguments, built by reflection from each event's constructor, so that a new
/// event type is covered without touching the tests (and a new argument type fails loudly until it is taught here).
/// </summary>
public sealed class RandomEvents(Random random)
{
    private static readonly string[] MachineIds = ["ws1", "ws2", "ws3"];
    private static readonly string[] NodeNames = ["node-a", "node-b", "node-c"];
    private static readonly string[] Hashes = ["abcdef0123", "0123456789", "fedcba9876"];
    private static readonly NullabilityInfoContext Nullability = new();

    public static IReadOnlyList<Type> TypesOf<TEvent>() =>
        [.. typeof(TEvent).Assembly.GetTypes().Where(t => t is { IsAbstract: false, IsClass: true } && typeof(TEvent).IsAssignableFrom(t)).OrderBy(t => t.Name, StringComparer.Ordinal)];

    public TEvent Next<TEvent>(IReadOnlyList<Type> types) => Create<TEvent>(types[random.Next(types.Count)]);

    public TEvent Create<TEvent>(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var args = constructor.GetParameters().Select(Argument).ToArray();
        return (TEvent)constructor.Invoke(args);
    }

    private object? Argument(ParameterInfo p)
    {
        if (p.ParameterType == typeof(string) && Nullability.Create(p).WriteState == NullabilityState.Nullable && random.Next(5) == 0)
        {
            return null;
        }

        var name = p.Name ?? "";
        return p.ParameterType switch
        {
            var t when t == typeof(EventContext) => TestEvents.Context(random.Next(0, 3600), random.Next(1, 4), "property", $"api:{Pick(["ann", "bob"])}"),
            var t when t == typeof(string) => name switch
            {
                _ when name.Contains("MachineId", StringComparison.Ordinal) => Pick(MachineIds),
                _ when name.Contains("NodeName", StringComparison.Ordinal) => Pick(NodeNames),
                _ when name.Contains("Hash", StringComparison.Ordinal) => Pick(Hashes),
                _ when name.Contains("InstanceType", StringComparison.Ordinal) => Pick(["Standard_NC6s_v3", "Standard_NC12s_v3"]),
                _ when name.Contains("Kind", StringComparison.Ordinal) => Pick(["Deployment", "StatefulSet", "Job"]),
                _ => $"{name.ToLowerInvariant()}-{random.Next(100)} \"quoted\" ünïcode",
            },
            var t when t == typeof(int) => random.Next(0, 4),
            var t when t == typeof(long) => (long)random.Next(0, 4),
            var t when t == typeof(bool) => random.Next(2) == 0,
            var t when t == typeof(DateTimeOffset) => TestEvents.T0.AddSeconds(random.Next(0, 7200)),
            var t when t == typeof(DateTimeOffset?) => random.Next(4) == 0 ? null : TestEvents.T0.AddSeconds(random.Next(0, 7200)),
            var t when t == typeof(WorkspaceSpecRecord) => TestEvents.Spec(
                Pick([WorkspaceMode.Inference, WorkspaceMode.Tuning]), random.Next(1, 4), Pick(Hashes)),
            var t when t == typeof(MachineSpecRecord) => TestEvents.MachineSpec(Pick(["default/ws", "team/other"])),
            var t when t == typeof(ImmutableArray<string>) => ImmutableArray.CreateRange(NodeNames.Take(random.Next(0, 4))),
            var t when t.IsEnum => Enum.GetValues(t).GetValue(random.Next(Enum.GetValues(t).Length)),
            var t => throw new NotSupportedException($"RandomEvents cannot make a {t.Name} for {p.Member.DeclaringType?.Name}.{name}: teach it."),
        };
    }

    private T Pick<T>(T[] values) => values[random.Next(values.Length)];
}
