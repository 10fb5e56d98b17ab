using Kaito.Runtime.TestModel;

// `Kaito.Runtime.TestModel DIR` writes the tiny model into DIR (scripts/local-stack.sh serves it from the simulated pods).
if (args is not [var directory])
{
    await Console.Error.WriteLineAsync("usage: Kaito.Runtime.TestModel DIRECTORY   (writes the tiny GenAI model folder there)");
    return 2;
}

Console.WriteLine(TinyModelBuilder.Write(Path.GetFullPath(directory)));
return 0;
