using Kaito.Silo.Cli;

return KaitoCommand.Run(args, Console.In, Console.Out, Console.Error);
