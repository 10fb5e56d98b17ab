using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kaito.Silo.Audit;

namespace Kaito.Silo.Cli;

/// <summary><c>kaito audit ns/name</c>: a Workspace's event history, every uid it has had, from the audit API of <c>kaito run</c>.</summary>
public static class AuditCommand
{
    /// <summary>Read by <c>kaito run</c> as the audit API's own settings, so one variable serves both sides.</summary>
    public const string ServerVariable = "KAITO_AUDIT__URL";

    public const string TokenVariable = "KAITO_AUDIT__TOKEN";

    /// <summary>The page size asked for; the command follows <c>continue</c> until the history ends.</summary>
    public const int PageSize = 500;

    public static Command Create(TextWriter stdout)
    {
        var workspace = new Argument<string>("NAMESPACE/NAME") { Description = "The Workspace, as kubectl names it (namespace/name; default/ when no namespace)." };
        var uid = new Option<string?>("--uid") { Description = "Only the Workspace with this uid (default: every Workspace that has had this name).", HelpName = "UID" };
        var output = OutputOption.Create("table (default): TIME, VERSION, EVENT, ACTOR, SUMMARY; json: the events as the API returns them.", "table", "json");
        var server = new Option<string>("--server")
        {
            Description = $"The audit API of kaito run (default: ${ServerVariable}, else {AuditOptions.DefaultUrl}).",
            HelpName = "URL",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } url ? url : AuditOptions.DefaultUrl,
        };
        var token = new Option<string?>("--token")
        {
            Description = $"The bearer token the API asks for (default: ${TokenVariable}).",
            HelpName = "TOKEN",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(TokenVariable),
        };
        var command = new Command("audit", "Print a Workspace's event history (newest first), deleted Workspaces and earlier ones of the same name included, from the audit API of kaito run.")
        {
            workspace, uid, output, server, token,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(workspace)!, parsed.GetValue(uid), parsed.GetValue(output)!,
            parsed.GetValue(server)!, parsed.GetValue(token), stdout, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string workspace, string? uid, string output, string server, string? token, TextWriter stdout, CancellationToken cancellationToken)
    {
        var parts = workspace.Split('/');
        var (ns, name) = parts.Length switch
        {
            1 when parts[0].Length > 0 => ("default", parts[0]),
            2 when parts.All(p => p.Length > 0) => (parts[0], parts[1]),
            _ => throw new UsageException($"\"{workspace}\" is not NAMESPACE/NAME"),
        };
        if (!Uri.TryCreate(server, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--server \"{server}\" is not an http(s) URL");
        }

        using var http = new HttpClient() { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        if (!string.IsNullOrEmpty(token))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var events = new List<AuditEvent>();
        string? next = null;
        do
        {
            var path = $"api/workspaces/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}/events?limit={PageSize}"
                + (uid is null ? "" : $"&uid={Uri.EscapeDataString(uid)}") + (next is null ? "" : $"&continue={Uri.EscapeDataString(next)}");
            HttpResponseMessage response;
            try
            {
                response = await http.GetAsync(path, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw new AuditUnavailableException($"the audit API at {server} does not answer ({ex.Message}); is kaito run up, and is --server right?");
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new AuditUnavailableException(await DescribeAsync(response, server, cancellationToken));
                }

                var page = await response.Content.ReadFromJsonAsync<AuditPage<AuditEvent>>(AuditEndpoints.Json, cancellationToken)
                    ?? throw new AuditUnavailableException($"the audit API at {server} answered an empty body");
                events.AddRange(page.Items);
                next = page.Continue;
            }
        }
        while (next is not null);

        if (output == "json")
        {
            stdout.WriteLine(JsonSerializer.Serialize(events, AuditEndpoints.Json));
            return ExitCodes.Ok;
        }

        var multipleUids = events.Select(e => e.Uid).Distinct().Count() > 1;
        TableWriter.Write(stdout,
            multipleUids ? ["TIME", "UID", "VERSION", "EVENT", "ACTOR", "SUMMARY"] : ["TIME", "VERSION", "EVENT", "ACTOR", "SUMMARY"],
            events.Select(e => (IReadOnlyList<string>)(multipleUids
                ? [Time(e), Short(e.Uid), Version(e), e.Type, e.Actor, e.Summary]
                : [Time(e), Version(e), e.Type, e.Actor, e.Summary])));
        return ExitCodes.Ok;
    }

    private static string Time(AuditEvent e) => e.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    private static string Version(AuditEvent e) => e.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Short(string? uid) => uid is null ? "-" : uid[..Math.Min(8, uid.Length)];

    private static async Task<string> DescribeAsync(HttpResponseMessage response, string server, CancellationToken cancellationToken)
    {
        string? error = null;
        try
        {
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            error = doc.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
        }
        catch (JsonException)
        {
        }

        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => $"the audit API at {server} refused the request (401): {error ?? "a bearer token is required"}; pass --token or set ${TokenVariable}",
            _ => $"the audit API at {server} answered {(int)response.StatusCode}: {error ?? response.ReasonPhrase}",
        };
    }
}
