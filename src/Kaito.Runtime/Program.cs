using Kaito.Runtime;

return await RuntimeApplication.RunAsync(args);
