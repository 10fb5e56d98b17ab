using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kaito.Grains.Workspaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kaito.Silo.Audit;

/// <summary>The routes of the audit API (GET only, JSON), behind the bearer token when one is set.</summary>
public static class AuditEndpoints
{
    public const int MaxLimit = 1000;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Map(WebApplication app, AuditQueries queries, string? token)
    {
        if (!string.IsNullOrEmpty(token))
        {
            var expected = Encoding.UTF8.GetBytes("Bearer " + token);
            app.Use(async (context, next) =>
            {
                var given = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
                if (!CryptographicOperations.FixedTimeEquals(given, expected))
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await Results.Json(new { error = "a valid bearer token is required (Authorization: Bearer TOKEN)" }, Json, statusCode: 401).ExecuteAsync(context);
                    return;
                }

                await next(context);
            });
        }

        app.MapGet("/api/workspaces", async (HttpRequest request) =>
        {
            if (!TryPaging(request, out var limit, out var problem))
            {
                return BadRequest(problem);
            }

            string? state = request.Query["state"];
            WorkspacePhase phase = default;
            if (state is not null && !(Enum.TryParse(state, ignoreCase: true, out phase) && Enum.IsDefined(phase)))
            {
                return BadRequest($"unknown state \"{state}\" (use one of {string.Join(", ", Enum.GetNames<WorkspacePhase>())})");
            }

            return Results.Json(await queries.ListWorkspacesAsync(state is null ? null : phase.ToString(), limit, request.Query["continue"]), Json);
        });

        app.MapGet("/api/workspaces/{ns}/{name}", async (string ns, string name, HttpRequest request) =>
            await queries.GetWorkspaceAsync(ns, name, request.Query["uid"]) is { } record
                ? Results.Json(record, Json)
                : NotFound($"no Workspace {ns}/{name}{UidText(request)} in the event log"));

        app.MapGet("/api/workspaces/{ns}/{name}/events", async (string ns, string name, HttpRequest request) =>
        {
            if (!TryPaging(request, out var limit, out var problem) || !TryOffset(request, out var offset, out problem))
            {
                return BadRequest(problem);
            }

            return await queries.GetWorkspaceEventsAsync(ns, name, request.Query["uid"], limit, offset) is { } page
                ? Results.Json(page, Json)
                : NotFound($"no Workspace {ns}/{name}{UidText(request)} in the event log");
        });

        app.MapGet("/api/machines/{name}/events", async (string name, HttpRequest request) =>
        {
            if (!TryPaging(request, out var limit, out var problem) || !TryOffset(request, out var offset, out problem))
            {
                return BadRequest(problem);
            }

            return await queries.GetMachineEventsAsync(name, limit, offset) is { } page
                ? Results.Json(page, Json)
                : NotFound($"no Machine {name} in the event log");
        });
    }

    private static string UidText(HttpRequest request) => request.Query["uid"] is { Count: > 0 } uid ? $" with uid {uid}" : "";

    private static bool TryPaging(HttpRequest request, out int limit, out string problem)
    {
        problem = "";
        limit = AuditQueries.DefaultLimit;
        if (request.Query["limit"] is { Count: > 0 } text && !(int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxLimit))
        {
            problem = $"limit must be a number from 1 to {MaxLimit}, not \"{text}\"";
            return false;
        }

        return true;
    }

    private static bool TryOffset(HttpRequest request, out int offset, out string problem)
    {
        problem = "";
        offset = 0;
        if (request.Query["continue"] is { Count: > 0 } text && !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            problem = $"continue \"{text}\" is not a token this listing returned";
            return false;
        }

        return true;
    }

    private static IResult BadRequest(string problem) => Results.Json(new { error = problem }, Json, statusCode: 400);

    private static IResult NotFound(string problem) => Results.Json(new { error = problem }, Json, statusCode: 404);
}
