using System.Net;
using MicipPlanner.Domain.Workshops;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>A workshop started through the facilitator's form, and participants joined through /join.</summary>
public sealed record StartedWorkshop(int Id, string Code, int DistrictId, int CycleId, IReadOnlyList<int> GroupIds)
{
    public string Root => $"/districts/{DistrictId}/cycles/{CycleId}/workshops/{Id}";
}

public static class WorkshopSessions
{
    /// <summary>Starts a workshop with new groups (one per name) as the given client (a facilitator or key leader).</summary>
    public static async Task<StartedWorkshop> StartAsync(MicipWebFactory factory, HttpClient facilitator, int districtId, int cycleId,
        GroupAssignment assignment = GroupAssignment.ParticipantsPick, params string[] groups)
    {
        var names = groups.Length > 0 ? groups : [$"Table {Guid.NewGuid():N}"[..12]];
        var root = $"/districts/{districtId}/cycles/{cycleId}/workshops";
        var response = await facilitator.PostFormAsync(root, new()
        {
            ["Activity1"] = "true", ["Activity2"] = "true", ["Activity3"] = "true",
            ["NewGroups"] = string.Join("\n", names), ["Assignment"] = assignment.ToString(),
        }, $"{root}/new");
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Starting a workshop answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var id = int.Parse(response.Headers.Location!.OriginalString.Split('/').Last());
        return await factory.WithDbAsync(async db =>
        {
            var w = await db.Workshops.AsNoTracking().SingleAsync(x => x.Id == id);
            return new StartedWorkshop(w.Id, w.Code, w.DistrictId, w.CycleId, w.GroupIdList);
        });
    }

    /// <summary>A new browser that joins with the code and name (and picks a group when given).</summary>
    public static async Task<HttpClient> JoinAsync(MicipWebFactory factory, string code, string name, int? groupId = null)
    {
        var client = factory.CreateBrowserClient();
        var joined = await client.PostFormAsync("/join", new() { ["Code"] = code, ["Name"] = name });
        if (joined.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Joining {code} answered {(int)joined.StatusCode}");
        if (groupId is { } g)
        {
            var picked = await client.PostFormAsync("/join/workshop/group", new() { ["GroupId"] = g.ToString() }, "/join/workshop");
            if (picked.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Picking a group answered {(int)picked.StatusCode}");
        }
        return client;
    }

    public static async Task OpenStepAsync(HttpClient facilitator, StartedWorkshop workshop, WorkshopStep step)
    {
        var response = await facilitator.PostFormAsync($"{workshop.Root}/step", new() { ["Step"] = step.ToString() }, workshop.Root);
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Opening {step} answered {(int)response.StatusCode}");
    }

    public static async Task EndAsync(HttpClient facilitator, StartedWorkshop workshop)
    {
        var response = await facilitator.PostFormAsync($"{workshop.Root}/end", [], $"{workshop.Root}/end");
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Ending answered {(int)response.StatusCode}");
    }
}
