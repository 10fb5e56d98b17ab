namespace Kaito.Runtime.TestModel;

/// <summary>
/// A small ONNX graph builder over <see cref="ProtoWriter"/>: nodes, initializers, inputs and outputs with symbolic
/// dimensions, serialised as a ModelProto (IR 8, opset 17). Field numbers follow onnx.proto.
/// </summary>
public sealed class OnnxGraph
{
    public const int FloatType = 1;
    public const int Int64Type = 7;

    private readonly List<ProtoWriter> _nodes = [];
    private readonly List<ProtoWriter> _initializers = [];
    private readonly List<ProtoWriter> _inputs = [];
    private readonly List<ProtoWriter> _outputs = [];
    private int _nextName;

    /// <summary>Adds a node and returns the name of its first output.</summary>
    public string Node(string opType, string[] inputs, Action<ProtoWriter>? attributes = null, int outputCount = 1, string? output = null)
    {
        var node = new ProtoWriter();
        foreach (var input in inputs)
        {
            node.String(1, input);
        }

        var first = output ?? $"{opType.ToLowerInvariant()}_{_nextName++}";
        node.String(2, first);
        for (var i = 1; i < outputCount; i++)
        {
            node.String(2, $"{first}_{i}");
        }

        node.String(3, $"node_{_nextName++}").String(4, opType);
        attributes?.Invoke(node);
        _nodes.Add(node);
        return first;
    }

    public static void IntAttribute(ProtoWriter node, string name, long value) =>
        node.Message(5, new ProtoWriter().String(1, name).Varint(3, value).Varint(20, 2));

    public static void FloatAttribute(ProtoWriter node, string name, float value) =>
        node.Message(5, new ProtoWriter().String(1, name).Float(2, value).Varint(20, 1));

    public static void IntsAttribute(ProtoWriter node, string name, params long[] values)
    {
        var attribute = new ProtoWriter().String(1, name);
        foreach (var value in values)
        {
            attribute.Varint(8, value);
        }

        node.Message(5, attribute.Varint(20, 7));
    }

    public string Initializer(string name, long[] dims, float[] values)
    {
        var raw = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        _initializers.Add(Tensor(name, dims, FloatType, raw));
        return name;
    }

    public string Initializer(string name, long[] dims, long[] values)
    {
        var raw = new byte[values.Length * sizeof(long)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        _initializers.Add(Tensor(name, dims, Int64Type, raw));
        return name;
    }

    /// <summary>A graph input; dims are numbers or symbolic names.</summary>
    public void Input(string name, int elementType, params object[] dims) => _inputs.Add(ValueInfo(name, elementType, dims));

    public void Output(string name, int elementType, params object[] dims) => _outputs.Add(ValueInfo(name, elementType, dims));

    public byte[] ToModel()
    {
        var graph = new ProtoWriter();
        _nodes.ForEach(n => graph.Message(1, n));
        graph.String(2, "tiny");
        _initializers.ForEach(i => graph.Message(5, i));
        _inputs.ForEach(i => graph.Message(11, i));
        _outputs.ForEach(o => graph.Message(12, o));
        return new ProtoWriter()
            .Varint(1, 8)
            .String(2, "kaito-tiny")
            .Message(7, graph)
            .Message(8, new ProtoWriter().String(1, string.Empty).Varint(2, 17))
            .ToArray();
    }

    private static ProtoWriter Tensor(string name, long[] dims, int elementType, byte[] raw)
    {
        var tensor = new ProtoWriter();
        foreach (var dim in dims)
        {
            tensor.Varint(1, dim);
        }

        return tensor.Varint(2, elementType).String(8, name).Bytes(9, raw);
    }

    private static ProtoWriter ValueInfo(string name, int elementType, object[] dims)
    {
        var shape = new ProtoWriter();
        foreach (var dim in dims)
        {
            var dimension = dim is string symbol ? new ProtoWriter().String(2, symbol) : new ProtoWriter().Varint(1, Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture));
            shape.Message(1, dimension);
        }

        var tensorType = new ProtoWriter().Varint(1, elementType).Message(2, shape);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensorType));
    }
}
