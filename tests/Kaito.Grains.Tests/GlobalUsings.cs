global using Xunit;
global using Kaito.Testing;
