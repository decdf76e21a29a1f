using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MicipPlanner.Web.Tests.Support;

/// <summary>The people the security tests act as, in relation to Lakeshore (district A).</summary>
public enum Persona
{
    Anonymous,
    Admin,
    /// <summary>facilitator@ (assigned to Lakeshore and Pine Ridge).</summary>
    Facilitator,
    /// <summary>A facilitator assigned to no district, created by the test.</summary>
    UnassignedFacilitator,
    /// <summary>leader@, Lakeshore key leader.</summary>
    KeyLeader,
    /// <summary>member@, Lakeshore district team.</summary>
    DistrictMember,
    /// <summary>building1@, building team of Lakeshore's building 1.</summary>
    BuildingMember,
    /// <summary>pineridge@, key leader of the other district.</summary>
    OtherDistrict,
    /// <summary>No account: joined a running Lakeshore workshop at /join (participant cookie only).</summary>
    WorkshopParticipant,
    /// <summary>Joined a Lakeshore workshop that has since ended.</summary>
    EndedWorkshopParticipant,
    /// <summary>A facilitator assigned to no district who coordinates the demo network (created by the test).</summary>
    NetworkCoordinator,
    /// <summary>A district team member of Maple Valley, a sharing district of the demo network (created by the test).</summary>
    SharingDistrictMember,
    /// <summary>A district team member of a district on no network (created by the test).</summary>
    NonMemberDistrictMember,
}

public static class Personas
{
    public const string UnassignedFacilitatorEmail = "unassigned.facilitator@example.org";
    public const string LakeshoreOnlyFacilitatorEmail = "lakeshore.facilitator@example.org";
    public const string NetworkCoordinatorEmail = "network.coordinator@example.org";
    public const string SharingDistrictMemberEmail = "maple.member@example.org";
    public const string NonMemberDistrictMemberEmail = "outside.member@example.org";

    public static readonly Persona[] All = Enum.GetValues<Persona>();

    public static string? Email(Persona persona) => persona switch
    {
        Persona.Anonymous => null,
        Persona.Admin => "admin@example.org",
        Persona.Facilitator => "facilitator@example.org",
        Persona.UnassignedFacilitator => UnassignedFacilitatorEmail,
        Persona.KeyLeader => "leader@example.org",
        Persona.DistrictMember => "member@example.org",
        Persona.BuildingMember => "building1@example.org",
        Persona.OtherDistrict => "pineridge@example.org",
        Persona.WorkshopParticipant or Persona.EndedWorkshopParticipant => null,
        Persona.NetworkCoordinator => NetworkCoordinatorEmail,
        Persona.SharingDistrictMember => SharingDistrictMemberEmail,
        Persona.NonMemberDistrictMember => NonMemberDistrictMemberEmail,
        _ => throw new ArgumentOutOfRangeException(nameof(persona)),
    };

    /// <summary>Creates a facilitator account (optionally assigned to some districts) with the demo password.</summary>
    public static async Task CreateFacilitatorAsync(MicipWebFactory factory, string email, params int[] districtIds)
    {
        await using var scope = factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(email) is not null) return;
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Test Facilitator", CreatedAt = DateTimeOffset.UtcNow };
        var created = await users.CreateAsync(user, TestClient.DemoPassword);
        if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, AppRoles.Facilitator);
        var db = scope.ServiceProvider.GetRequiredService<MicipPlanner.Infrastructure.Data.AppDbContext>();
        foreach (var districtId in districtIds)
            db.FacilitatorAssignments.Add(new Domain.Organisation.FacilitatorAssignment { DistrictId = districtId, UserId = user.Id, AssignedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// The network personas: a coordinator of the demo network assigned to no district, a district team member of a sharing
    /// district on it (Maple Valley) and one of a district on no network.
    /// </summary>
    public static async Task CreateNetworkPersonasAsync(MicipWebFactory factory)
    {
        await CreateFacilitatorAsync(factory, NetworkCoordinatorEmail);
        await CreateTeamMemberAsync(factory, SharingDistrictMemberEmail, "Maple Valley Schools", null);
        await CreateTeamMemberAsync(factory, NonMemberDistrictMemberEmail, "Outside Network Schools", "79990");
        await factory.WithDbAsync(async db =>
        {
            var coordinator = await db.Users.Where(u => u.Email == NetworkCoordinatorEmail).Select(u => u.Id).SingleAsync();
            var network = await db.Networks.SingleAsync(n => n.Name == Web.Startup.DemoNetworkData.NetworkName);
            network.CoordinatorUserId = coordinator;
            await db.SaveChangesAsync();
        });
    }

    /// <summary>A district team member (systems representative) of the named district, made with the district when a code is given.</summary>
    private static async Task CreateTeamMemberAsync(MicipWebFactory factory, string email, string districtName, string? newDistrictCode)
    {
        await using var scope = factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(email) is not null) return;
        var db = scope.ServiceProvider.GetRequiredService<MicipPlanner.Infrastructure.Data.AppDbContext>();
        var district = await db.Districts.SingleOrDefaultAsync(d => d.Name == districtName);
        if (district is null)
        {
            district = new Domain.Organisation.District { Name = districtName, Code = newDistrictCode!, CreatedAt = DateTimeOffset.UtcNow };
            db.Districts.Add(district);
            await db.SaveChangesAsync();
        }
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Test Member", CreatedAt = DateTimeOffset.UtcNow };
        var created = await users.CreateAsync(user, TestClient.DemoPassword);
        if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        db.TeamMemberships.Add(new Domain.Organisation.TeamMembership
        {
            DistrictId = district.Id, UserId = user.Id, Role = Domain.Organisation.TeamRole.SystemsRepresentative, JoinedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>A browser-like client for the persona: signed in through the real form, or anonymous.</summary>
    public static async Task<HttpClient> ClientAsync(MicipWebFactory factory, Persona persona) => persona switch
    {
        Persona.WorkshopParticipant => await WorkshopSessions.ParticipantAsync(factory, ended: false),
        Persona.EndedWorkshopParticipant => await WorkshopSessions.ParticipantAsync(factory, ended: true),
        _ => Email(persona) is { } email ? await factory.SignedInAsync(email) : factory.CreateBrowserClient(),
    };
}

/// <summary>Route values pointing into one district: its cycle, building 1, a small rating group, a row, an action.</summary>
public sealed record DistrictRouteValues(int DistrictId, int CycleId, int BuildingId, int GroupId, int ActionId, string RowKey, string QuestionKey,
    int MembershipId, int InvitationId)
{
    public static async Task<DistrictRouteValues> LoadAsync(MicipWebFactory factory, int districtId, int cycleId)
    {
        var toolkit = factory.Services.GetRequiredService<ToolkitCatalog>().Default;
        return await factory.WithDbAsync(async db =>
        {
            var building = await db.Buildings.Where(b => b.DistrictId == districtId).OrderBy(b => b.Code).Select(b => b.Id).FirstAsync();
            // A small group rather than the whole team, so a delete request reaches its confirmation check.
            var group = await db.RatingGroups.Where(g => g.CycleId == cycleId).OrderBy(g => g.IsWholeTeam).ThenByDescending(g => g.Id).Select(g => g.Id).FirstAsync();
            var action = await db.ActionItems.Where(a => a.CycleId == cycleId).OrderBy(a => a.Id).Select(a => (int?)a.Id).FirstOrDefaultAsync();
            if (action is null)
            {
                var item = new ActionItem { DistrictId = districtId, CycleId = cycleId, Title = "Test action", CreatedByUserId = "", CreatedAt = DateTimeOffset.UtcNow };
                db.ActionItems.Add(item);
                await db.SaveChangesAsync();
                action = item.Id;
            }
            var membership = await db.TeamMemberships.Where(m => m.DistrictId == districtId).OrderByDescending(m => m.Id).Select(m => m.Id).FirstAsync();
            var invitation = await db.Invitations.Where(i => i.DistrictId == districtId).Select(i => (int?)i.Id).FirstOrDefaultAsync();
            if (invitation is null)
            {
                var now = DateTimeOffset.UtcNow;
                var pending = new Domain.Organisation.Invitation
                {
                    DistrictId = districtId, Email = $"pending-{districtId}@example.net", Role = Domain.Organisation.TeamRole.BoardMember,
                    TokenHash = Domain.Organisation.InvitationTokens.Hash(Domain.Organisation.InvitationTokens.NewToken()),
                    CreatedAt = now, ExpiresAt = now + Domain.Organisation.Invitation.Lifetime, InvitedByUserId = "",
                };
                db.Invitations.Add(pending);
                await db.SaveChangesAsync();
                invitation = pending.Id;
            }
            // The district's network (the demo network) and a practice note of the district (an anonymous one made for the test if none).
            var network = await db.NetworkMemberships.Where(m => m.DistrictId == districtId).OrderBy(m => m.NetworkId).Select(m => m.NetworkId).FirstOrDefaultAsync();
            var note = await db.PracticeNotes.Where(n => n.DistrictId == districtId && n.WithdrawnAt == null).Select(n => (int?)n.Id).FirstOrDefaultAsync();
            if (note is null)
            {
                var made = new Domain.Networks.PracticeNote
                {
                    DistrictId = districtId, CycleId = cycleId, RowKey = toolkit.Rubric.Rows[0].Key, Level = 2, Text = "A test note.", IsAnonymous = true,
                    CreatedByUserId = "", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
                };
                db.PracticeNotes.Add(made);
                await db.SaveChangesAsync();
                note = made.Id;
            }
            // A goal → strategy → activity of the cycle's plan (made for the test if the plan has none).
            var activity = await db.PlanActivities.Where(a => a.CycleId == cycleId).OrderBy(a => a.Id)
                .Select(a => new { a.Id, a.StrategyId, GoalId = db.PlanStrategies.Where(s => s.Id == a.StrategyId).Select(s => s.GoalId).First() })
                .FirstOrDefaultAsync();
            if (activity is null)
            {
                var goal = new Domain.Plan.PlanGoal { DistrictId = districtId, CycleId = cycleId, Statement = "A test goal.", CreatedByUserId = "", CreatedAt = DateTimeOffset.UtcNow };
                db.PlanGoals.Add(goal);
                await db.SaveChangesAsync();
                var strategy = new Domain.Plan.PlanStrategy { DistrictId = districtId, CycleId = cycleId, GoalId = goal.Id, Title = "A test strategy.", CreatedByUserId = "", CreatedAt = DateTimeOffset.UtcNow };
                db.PlanStrategies.Add(strategy);
                await db.SaveChangesAsync();
                var made = new Domain.Plan.PlanActivity { DistrictId = districtId, CycleId = cycleId, StrategyId = strategy.Id, Title = "A test activity.", CreatedByUserId = "", CreatedAt = DateTimeOffset.UtcNow };
                db.PlanActivities.Add(made);
                await db.SaveChangesAsync();
                activity = new { made.Id, StrategyId = strategy.Id, GoalId = goal.Id };
            }
            // A measure of that goal (made for the test if the cycle has none).
            var measure = await db.PlanMeasures.Where(m => m.CycleId == cycleId).OrderBy(m => m.Id).Select(m => (int?)m.Id).FirstOrDefaultAsync();
            if (measure is null)
            {
                var made = new Domain.Plan.PlanMeasure
                {
                    DistrictId = districtId, CycleId = cycleId, GoalId = activity.GoalId, Name = "A test measure.", Kind = Domain.Plan.MeasureKind.Outcome,
                    Unit = Domain.Plan.MeasureUnit.Percent, Better = Domain.Plan.BetterDirection.Higher, CreatedByUserId = "", CreatedAt = DateTimeOffset.UtcNow,
                };
                db.PlanMeasures.Add(made);
                await db.SaveChangesAsync();
                measure = made.Id;
            }
            // A value of that measure (recorded for the test if it has none).
            var value = await db.PlanMeasureValues.Where(v => v.MeasureId == measure.Value).OrderBy(v => v.Id).Select(v => (int?)v.Id).FirstOrDefaultAsync();
            if (value is null)
            {
                var made = new Domain.Plan.PlanMeasureValue
                {
                    DistrictId = districtId, CycleId = cycleId, MeasureId = measure.Value, Date = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-7), Value = 50,
                    RecordedByUserId = "", RecordedAt = DateTimeOffset.UtcNow,
                };
                db.PlanMeasureValues.Add(made);
                await db.SaveChangesAsync();
                value = made.Id;
            }
            // A monitoring period of the cycle (made for the test if the cycle has none).
            var period = await db.MonitoringPeriods.Where(p => p.CycleId == cycleId).OrderBy(p => p.Id).Select(p => (int?)p.Id).FirstOrDefaultAsync();
            if (period is null)
            {
                var made = new Domain.Plan.MonitoringPeriod
                {
                    DistrictId = districtId, CycleId = cycleId, Name = "Test period", DueDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30), CreatedAt = DateTimeOffset.UtcNow,
                };
                db.MonitoringPeriods.Add(made);
                await db.SaveChangesAsync();
                period = made.Id;
            }
            // A PDSA cycle on that activity (planned for the test if it has none).
            // A decided one first: only a decided cycle's learning can be shared as a practice note.
            var pdsa = await db.PdsaCycles.Where(p => p.ActivityId == activity.Id).OrderBy(p => p.Decision == null).ThenBy(p => p.Id)
                .Select(p => (int?)p.Id).FirstOrDefaultAsync();
            if (pdsa is null)
            {
                var made = new Domain.Plan.PdsaCycle
                {
                    DistrictId = districtId, CycleId = cycleId, ActivityId = activity.Id, ChangeIdea = "A test change.", Question = "Does it work?",
                    Prediction = "It works.", CreatedByUserId = "", CreatedAt = DateTimeOffset.UtcNow,
                    Stage = Domain.Plan.PdsaStage.Act, Result = "It worked.", Decision = Domain.Plan.PdsaDecision.Adopt,
                };
                db.PdsaCycles.Add(made);
                await db.SaveChangesAsync();
                pdsa = made.Id;
            }
            return new DistrictRouteValues(districtId, cycleId, building, group, action.Value,
                toolkit.Rubric.Rows[0].Key, toolkit.Rubric.DiscussionQuestions[0].Key, membership, invitation.Value)
            {
                NetworkId = network, NoteId = note.Value, GoalId = activity.GoalId, StrategyId = activity.StrategyId, ActivityId = activity.Id,
                MeasureId = measure.Value, ValueId = value.Value, PeriodId = period.Value, PdsaId = pdsa.Value,
            };
        });
    }

    public int NetworkId { get; init; }
    public int NoteId { get; init; }
    public int GoalId { get; init; }
    public int StrategyId { get; init; }
    public int ActivityId { get; init; }
    public int MeasureId { get; init; }
    public int ValueId { get; init; }
    public int PeriodId { get; init; }
    public int PdsaId { get; init; }

    /// <summary>Values by route parameter name. Add a line here when a new route parameter appears.</summary>
    public Dictionary<string, string> ToDictionary() => new()
    {
        ["districtId"] = DistrictId.ToString(),
        ["cycleId"] = CycleId.ToString(),
        ["buildingId"] = BuildingId.ToString(),
        ["groupId"] = GroupId.ToString(),
        ["actionId"] = ActionId.ToString(),
        ["rowKey"] = RowKey,
        ["questionKey"] = QuestionKey,
        ["statusCode"] = "404",
        ["membershipId"] = MembershipId.ToString(),
        ["invitationId"] = InvitationId.ToString(),
        ["networkId"] = NetworkId.ToString(),
        ["noteId"] = NoteId.ToString(),
        ["goalId"] = GoalId.ToString(),
        ["strategyId"] = StrategyId.ToString(),
        ["activityId"] = ActivityId.ToString(),
        ["measureId"] = MeasureId.ToString(),
        ["valueId"] = ValueId.ToString(),
        ["periodId"] = PeriodId.ToString(),
        ["pdsaId"] = PdsaId.ToString(),
        ["name"] = "handout-2",
        ["what"] = "ratings",
        ["format"] = "xlsx",
        ["token"] = Domain.Plan.CalendarFeedTokens.NewToken(),
    };

    /// <summary>A district-team seat of a person made for the test (safe to change or remove).</summary>
    public static async Task<int> NewMembershipAsync(MicipWebFactory factory, int districtId)
    {
        await using var scope = factory.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var email = $"seat-{Guid.NewGuid():N}@example.net";
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Test Seat", CreatedAt = DateTimeOffset.UtcNow };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        var db = scope.ServiceProvider.GetRequiredService<MicipPlanner.Infrastructure.Data.AppDbContext>();
        var seat = new Domain.Organisation.TeamMembership { DistrictId = districtId, UserId = user.Id, Role = Domain.Organisation.TeamRole.CommunityRepresentative, JoinedAt = DateTimeOffset.UtcNow };
        db.TeamMemberships.Add(seat);
        await db.SaveChangesAsync();
        return seat.Id;
    }

    /// <summary>A pending invitation to the district team; returns its id and the token of its link.</summary>
    public static async Task<(int Id, string Token)> NewInvitationAsync(MicipWebFactory factory, int districtId)
    {
        var token = Domain.Organisation.InvitationTokens.NewToken();
        return await factory.WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var invitation = new Domain.Organisation.Invitation
            {
                DistrictId = districtId, Email = $"invitee-{Guid.NewGuid():N}@example.net", Role = Domain.Organisation.TeamRole.BoardMember,
                TokenHash = Domain.Organisation.InvitationTokens.Hash(token), CreatedAt = now, ExpiresAt = now + Domain.Organisation.Invitation.Lifetime,
                InvitedByUserId = "",
            };
            db.Invitations.Add(invitation);
            await db.SaveChangesAsync();
            return (invitation.Id, token);
        });
    }
}
