using Kaito.Runtime;

var app = RuntimeApplication.Create(args);
await app.RunAsync();
