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
        // The page ticks the cycle's existing groups; these workshops run with new groups only, so they are unticked.
        var form = RenderedForm.Find(Html.Parse(await facilitator.GetHtmlAsync($"{root}/new")), root, [])!.ClearAll("GroupIds")
            .Set("Activity1", "true").Set("Activity2", "true").Set("Activity3", "true")
            .Set("NewGroups", string.Join("\n", names)).Set("Assignment", assignment.ToString());
        var response = await facilitator.PostAsync(root, form.Content());
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Starting a workshop answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var id = int.Parse(response.Headers.Location!.OriginalString.Split('/').Last());
        return await factory.WithDbAsync(async db =>
        {
            var w = await db.Workshops.Include(x => x.Groups).AsNoTracking().SingleAsync(x => x.Id == id);
            return new StartedWorkshop(w.Id, w.Code, w.DistrictId, w.CycleId, w.Groups.OrderBy(g => g.Position).Select(g => g.RatingGroupId).ToList());
        });
    }

    /// <summary>A new browser (or the one given) that joins with the code and name (and picks a group when given).</summary>
    public static async Task<HttpClient> JoinAsync(MicipWebFactory factory, string code, string name, int? groupId = null, HttpClient? browser = null)
    {
        var client = browser ?? factory.CreateBrowserClient();
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

    /// <summary>A running workshop of the district's cycle made directly in the database (for the security tables), with one new group.</summary>
    public static async Task<StartedWorkshop> CreateAsync(MicipWebFactory factory, int districtId, int cycleId) => await factory.WithDbAsync(async db =>
    {
        var now = DateTimeOffset.UtcNow;
        var group = new Domain.Rubric.RatingGroup { DistrictId = districtId, CycleId = cycleId, Name = $"Workshop table {Guid.NewGuid():N}"[..24], SortOrder = 50 };
        db.RatingGroups.Add(group);
        await db.SaveChangesAsync();
        var workshop = new Workshop
        {
            DistrictId = districtId, CycleId = cycleId, Code = WorkshopCodes.New(), IncludesActivity1 = true, IncludesActivity2 = true, IncludesActivity3 = true,
            GroupAssignment = GroupAssignment.RoundRobin, Groups = WorkshopGroup.ListOf(districtId, [group.Id]), StepOpenedAt = now, StartedAt = now, ExpiresAt = now.AddHours(8),
        };
        db.Workshops.Add(workshop);
        await db.SaveChangesAsync();
        return new StartedWorkshop(workshop.Id, workshop.Code, districtId, cycleId, [group.Id]);
    });

    /// <summary>A participant row of the workshop (no browser), e.g. for a request that removes one.</summary>
    public static async Task<int> AddParticipantAsync(MicipWebFactory factory, StartedWorkshop workshop) => await factory.WithDbAsync(async db =>
    {
        var userId = await db.Users.Where(u => u.Email == "member@example.org").Select(u => u.Id).SingleAsync();
        var participant = new WorkshopParticipant
        {
            DistrictId = workshop.DistrictId, WorkshopId = workshop.Id, UserId = userId, HasOwnAccount = true, DisplayName = "Test Participant",
            RatingGroupId = workshop.GroupIds[0], JoinedAt = DateTimeOffset.UtcNow,
        };
        db.WorkshopParticipants.Add(participant);
        await db.SaveChangesAsync();
        return participant.Id;
    });

    /// <summary>A browser joined to a new running workshop of Lakeshore, or to one that has since ended.</summary>
    public static async Task<HttpClient> ParticipantAsync(MicipWebFactory factory, bool ended)
    {
        var ids = await DemoIds.LoadAsync(factory);
        var workshop = await CreateAsync(factory, ids.Lakeshore, ids.LakeshoreCycle);
        var client = await JoinAsync(factory, workshop.Code, ended ? "Ended Participant" : "Participant");
        if (ended)
            await factory.WithDbAsync(async db =>
            {
                var w = await db.Workshops.SingleAsync(x => x.Id == workshop.Id);
                WorkshopRules.End(w, DateTimeOffset.UtcNow);
                await db.SaveChangesAsync();
            });
        return client;
    }

    /// <summary>A browser joined to a new running Lakeshore workshop that is at <paramref name="step"/>.</summary>
    public static async Task<HttpClient> ParticipantAtStepAsync(MicipWebFactory factory, WorkshopStep step)
    {
        var ids = await DemoIds.LoadAsync(factory);
        var workshop = await CreateAsync(factory, ids.Lakeshore, ids.LakeshoreCycle);
        await factory.WithDbAsync(async db =>
        {
            var w = await db.Workshops.SingleAsync(x => x.Id == workshop.Id);
            if (step != WorkshopStep.Arrival) WorkshopRules.OpenStep(w, step, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        });
        return await JoinAsync(factory, workshop.Code, $"Probe at {step}");
    }
}
