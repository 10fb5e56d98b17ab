using System.Diagnostics;

namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>
/// scripts/local-stack.sh as a user runs it, in a private state folder with its own ports: the quick starts become
/// Ready, a runtime behind one of their Services answers /chat, a second run reuses the stack, and <c>stop</c> leaves
/// no process of it running (each carries <c>KAITO_LOCAL_STACK=&lt;state&gt;</c> in its environment).
/// </summary>
public sealed class LocalStackScriptTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(9);

    [LocalStackFact]
    public async Task Local_stack_serves_the_quick_starts_answers_chat_runs_twice_and_stop_leaves_no_process()
    {
        var state = Path.Combine(Path.GetTempPath(), "kaito-local-stack-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var first = await RunScriptAsync(state);
            Assert.True(first.ExitCode == 0, first.ToString());
            var table = KubectlTable.Parse(first.Stdout[..first.Stdout.IndexOf("\n\n", StringComparison.Ordinal)]);
            Assert.Equal(
                ["workspace-phi-3-mini", "workspace-phi-3-mini-adapter", "workspace-tuning-phi-3"],
                table.Rows.Select(r => r["NAME"]).Order(StringComparer.Ordinal));
            Assert.All(table.Rows, r => Assert.Equal("True", r["WORKSPACEREADY"]));
            Assert.Matches(@"POST http://127\.0\.0\.1:[0-9]+/chat  \(service workspace-phi-3-mini -> pod workspace-phi-3-mini-", first.Stdout);
            Assert.Contains("{\"Result\":\"abcdefghijklmnopqrstuvwxyz{|}~\"}", first.Stdout, StringComparison.Ordinal);
            Assert.Contains("scripts/local-stack.sh stop", first.Stdout, StringComparison.Ordinal);

            var second = await RunScriptAsync(state);
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Contains("already running: reusing it", second.Stderr, StringComparison.Ordinal);
            Assert.Contains("{\"Result\":\"abcdefghijklmnopqrstuvwxyz{|}~\"}", second.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            var stop = await RunScriptAsync(state, "stop");
            Assert.True(stop.ExitCode == 0, stop.ToString());
            Assert.Empty(ProcessesOfTheStack(state));
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>"pid command" of every process whose environment says it belongs to the stack in <paramref name="state"/>.</summary>
    private static List<string> ProcessesOfTheStack(string state)
    {
        var marker = "KAITO_LOCAL_STACK=" + state;
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains(marker))
                {
                    found.Add(Path.GetFileName(dir) + " " + File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return found;
    }

    private static async Task<ScriptRun> RunScriptAsync(string state, params string[] args)
    {
        var start = new ProcessStartInfo("bash", [RepoPaths.Of("scripts", "local-stack.sh"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            Environment = { ["KAITO_LOCAL_STATE"] = state },
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/local-stack.sh {string.Join(' ', args)} ran over {ScriptTimeout}:\n{await stderr}");
        }

        return new ScriptRun(process.ExitCode, await stdout, await stderr);
    }

    private sealed record ScriptRun(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }
}
