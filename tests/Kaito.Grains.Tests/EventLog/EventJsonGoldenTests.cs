using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Tests.EventLog;

/// <summary>
/// The stored JSON (the Data column) of every event type, pinned byte for byte in
/// <c>tests/Kaito.Grains.Tests/EventLog/golden/&lt;type&gt;.json</c>: a schema change is a visible, deliberate diff.
/// To regenerate after an intended change: <c>KAITO_UPDATE_GOLDEN=1 dotnet test tests/Kaito.Grains.Tests --filter EventJsonGoldenTests</c>.
/// </summary>
public sealed class EventJsonGoldenTests
{
    private static readonly string Folder = RepoPaths.Of("tests", "Kaito.Grains.Tests", "EventLog", "golden");

    public static TheoryData<string> WorkspaceTypes => [.. RandomEvents.TypesOf<WorkspaceEvent>().Select(t => t.Name)];

    public static TheoryData<string> MachineTypes => [.. RandomEvents.TypesOf<MachineEvent>().Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(WorkspaceTypes))]
    public void Workspace_event_json_matches_its_golden_file(string typeName) => Check<WorkspaceEvent>(WorkspaceAggregate.Instance.Kind, typeName);

    [Theory]
    [MemberData(nameof(MachineTypes))]
    public void Machine_event_json_matches_its_golden_file(string typeName) => Check<MachineEvent>(MachineAggregate.Instance.Kind, typeName);

    [Fact]
    public void Every_golden_file_belongs_to_an_event_type()
    {
        var names = new EventTypeRegistry<WorkspaceEvent>().Names.Concat(new EventTypeRegistry<MachineEvent>().Names).Select(n => n + ".json");
        Assert.Empty(Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).Except(names));
    }

    private static void Check<TEvent>(string kind, string typeName)
        where TEvent : class, IAggregateEvent
    {
        var type = RandomEvents.TypesOf<TEvent>().Single(t => t.Name == typeName);

        // Fixed arguments per type: the same seed gives the same event on every run.
        var e = new RandomEvents(new Random(20261128)).Create<TEvent>(type);
        var codec = new EventRowCodec<TEvent>(kind, new EventTypeRegistry<TEvent>());
        var stored = SplitColumn.Read(codec.Encode("golden", 1, e), "Data")!;
        var path = Path.Combine(Folder, codec.Registry.NameOf(e) + ".json");
        if (Environment.GetEnvironmentVariable("KAITO_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Folder);
            File.WriteAllText(path, stored);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run with KAITO_UPDATE_GOLDEN=1 to write it");
        Assert.Equal(File.ReadAllText(path), stored);
        // And it reads back to the same event: encoded again, the same bytes.
        Assert.Equal(stored, SplitColumn.Read(codec.Encode("golden", 1, codec.Decode("golden", 1, codec.Encode("golden", 1, e))), "Data"));
    }
}
