using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Organisation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Startup;

/// <summary>
/// Two demo districts for trying the product: Lakeshore (four buildings, ratings by two groups that
/// disagree on one row, one submitted building template, a plan under way) and Pine Ridge (two buildings).
/// </summary>
public sealed class DemoSeeder(AppDbContext db, UserManager<AppUser> users, CycleStarter cycles, ToolkitCatalog toolkits, TimeProvider clock)
{
    public const string Password = "Demo-Pass-2026!";

    public static readonly (string Email, string Name, string Description)[] Accounts =
    [
        ("admin@example.org", "Avery Admin", "administrator"),
        ("facilitator@example.org", "Fran Facilitator", "facilitator of both districts"),
        ("leader@example.org", "Lee Leader", "Lakeshore key leader"),
        ("member@example.org", "Morgan Member", "Lakeshore district team member"),
        ("building1@example.org", "Bailey Harbor", "building team, Harbor View Elementary"),
        ("building2@example.org", "Blake Dune", "building team, Dune Ridge Elementary"),
        ("building3@example.org", "Brooke Middle", "building team, Lakeshore Middle School"),
        ("building4@example.org", "Bryce High", "building team, Lakeshore High School"),
        ("pineridge@example.org", "Parker Pine", "Pine Ridge key leader"),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var byEmail = new Dictionary<string, AppUser>();
        foreach (var (email, name, _) in Accounts)
        {
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, CreatedAt = now };
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded)
                throw new InvalidOperationException("Demo account could not be created: " + string.Join("; ", result.Errors.Select(e => e.Description)));
            byEmail[email] = user;
        }
        await users.AddToRoleAsync(byEmail["admin@example.org"], AppRoles.Admin);
        await users.AddToRoleAsync(byEmail["facilitator@example.org"], AppRoles.Facilitator);

        var lakeshore = new District { Name = "Lakeshore Public Schools", Code = "61990", Isd = "Lakeshore Area ISD", CreatedAt = now };
        lakeshore.Buildings.AddRange(
        [
            new Building { Name = "Harbor View Elementary", Code = "01001", Grades = "K-5" },
            new Building { Name = "Dune Ridge Elementary", Code = "01002", Grades = "K-5" },
            new Building { Name = "Lakeshore Middle School", Code = "01003", Grades = "6-8" },
            new Building { Name = "Lakeshore High School", Code = "01004", Grades = "9-12" },
        ]);
        var pineRidge = new District { Name = "Pine Ridge Community Schools", Code = "62990", Isd = "Northern Pines ISD", CreatedAt = now };
        pineRidge.Buildings.AddRange(
        [
            new Building { Name = "Pine Ridge Elementary", Code = "02001", Grades = "K-6" },
            new Building { Name = "Pine Ridge Jr/Sr High School", Code = "02002", Grades = "7-12" },
        ]);
        db.Districts.AddRange(lakeshore, pineRidge);
        await db.SaveChangesAsync(cancellationToken);

        foreach (var district in new[] { lakeshore, pineRidge })
            db.FacilitatorAssignments.Add(new FacilitatorAssignment { DistrictId = district.Id, UserId = byEmail["facilitator@example.org"].Id, AssignedAt = now });
        AddMember(lakeshore.Id, null, byEmail["leader@example.org"], TeamRole.KeyLeader);
        AddMember(lakeshore.Id, null, byEmail["member@example.org"], TeamRole.SystemsRepresentative);
        for (var i = 0; i < 4; i++)
            AddMember(lakeshore.Id, lakeshore.Buildings[i].Id, byEmail[$"building{i + 1}@example.org"], TeamRole.BuildingLeader);
        AddMember(pineRidge.Id, null, byEmail["pineridge@example.org"], TeamRole.KeyLeader);
        await db.SaveChangesAsync(cancellationToken);

        var currentYear = SchoolYears.Current(DateOnly.FromDateTime(now.UtcDateTime));
        var lastCycle = await cycles.StartAsync(lakeshore.Id, currentYear - 1, cancellationToken);
        var cycle = await cycles.StartAsync(lakeshore.Id, currentYear, cancellationToken);
        await cycles.StartAsync(pineRidge.Id, currentYear, cancellationToken);

        var toolkit = toolkits.Default;
        var rows = toolkit.Rubric.Rows;
        var leader = byEmail["leader@example.org"].Id;
        var member = byEmail["member@example.org"].Id;

        // Last year's consensus, so the history view shows movement to the right.
        int[] lastLevels = [1, 2, 1, 2, 1, 2];
        for (var i = 0; i < rows.Count; i++)
            db.ConsensusRatings.Add(new ConsensusRating
            {
                DistrictId = lakeshore.Id, CycleId = lastCycle.Id, RowKey = rows[i].Key, Level = lastLevels[i],
                Rationale = "Agreed at the spring workshop.", RecordedByUserId = leader, RecordedAt = now.AddMonths(-8),
            });
        lastCycle.RubricFinalizedAt = now.AddMonths(-8);
        lastCycle.RubricFinalizedByUserId = leader;

        // This year two small groups have rated; they disagree by two levels on collaborative routines.
        var groupA = new RatingGroup { DistrictId = lakeshore.Id, CycleId = cycle.Id, Name = "Group A", SortOrder = 1 };
        var groupB = new RatingGroup { DistrictId = lakeshore.Id, CycleId = cycle.Id, Name = "Group B", SortOrder = 2 };
        groupA.Members.Add(new RatingGroupMember { UserId = leader });
        groupB.Members.Add(new RatingGroupMember { UserId = member });
        int[] levelsA = [2, 2, 3, 2];
        int[] levelsB = [2, 3, 1, 2];
        string[] evidenceA =
        [
            "Vision statement is posted in every building, but staff surveys show few can explain it.",
            "Board policy 2100 mentions collaboration without naming roles.",
            "Monthly CI team meetings have an agenda template and rotating roles.",
            "Principals were invited to the goal retreat; no shared process yet.",
        ];
        string[] evidenceB =
        [
            "Mission appears on the website and in buildings; not referenced in decisions.",
            "Team charter lists roles; accountability is not yet described.",
            "Meetings happen when a deadline is near; no standing routine.",
            "A goal-setting process was promised at the August leadership meeting.",
        ];
        for (var i = 0; i < levelsA.Length; i++)
        {
            groupA.Ratings.Add(new RubricRating { DistrictId = lakeshore.Id, CycleId = cycle.Id, RowKey = rows[i].Key, Level = levelsA[i], Evidence = evidenceA[i], UpdatedByUserId = leader, UpdatedAt = now.AddDays(-2) });
            groupB.Ratings.Add(new RubricRating { DistrictId = lakeshore.Id, CycleId = cycle.Id, RowKey = rows[i].Key, Level = levelsB[i], Evidence = evidenceB[i], UpdatedByUserId = member, UpdatedAt = now.AddDays(-2) });
        }
        db.RatingGroups.AddRange(groupA, groupB);

        db.ActionItems.Add(new ActionItem
        {
            DistrictId = lakeshore.Id, CycleId = cycle.Id, Title = "Draft a shared calendar of CI team meetings for all buildings",
            SourceKey = "begin-shift", OwnerUserId = leader, DueDate = DateOnly.FromDateTime(now.UtcDateTime.AddDays(21)),
            Status = ActionStatus.InProgress, CreatedByUserId = leader, CreatedAt = now.AddDays(-2),
        });

        // Harbor View has submitted its Building Action Planning template; Dune Ridge has a draft.
        var submitted = BuildingTemplate(lakeshore.Id, cycle.Id, lakeshore.Buildings[0].Id, toolkit, now, complete: true);
        submitted.State = TemplateState.Submitted;
        submitted.SubmittedAt = now.AddDays(-1);
        submitted.Transitions.Add(new TemplateTransition
        {
            DistrictId = lakeshore.Id, From = TemplateState.Draft, To = TemplateState.Submitted,
            UserId = byEmail["building1@example.org"].Id, At = now.AddDays(-1),
        });
        var draft = BuildingTemplate(lakeshore.Id, cycle.Id, lakeshore.Buildings[1].Id, toolkit, now, complete: false);
        db.BalanceTemplates.AddRange(submitted, draft);
        await db.SaveChangesAsync(cancellationToken);

        await DemoPlanData.SeedAsync(db, lakeshore, cycle.Id, lastCycle.Id, toolkit, leader, member, now, cancellationToken);
        await DemoReportData.SeedAsync(db, lakeshore, cycle.Id, leader, byEmail["building1@example.org"].Id, now, cancellationToken);
        await DemoNetworkData.SeedAsync(db, cycles, toolkit, now, lakeshore, pineRidge, byEmail["facilitator@example.org"].Id, cancellationToken);
    }

    private void AddMember(int districtId, int? buildingId, AppUser user, TeamRole role) =>
        db.TeamMemberships.Add(new TeamMembership { DistrictId = districtId, BuildingId = buildingId, UserId = user.Id, Role = role, JoinedAt = clock.GetUtcNow() });

    private static BalanceTemplate BuildingTemplate(int districtId, int cycleId, int buildingId, ToolkitDefinition toolkit, DateTimeOffset now, bool complete)
    {
        var template = new BalanceTemplate
        {
            DistrictId = districtId, CycleId = cycleId, BuildingId = buildingId, CreatedAt = now.AddDays(-3), UpdatedAt = now.AddDays(-1),
            BuildingsAnswer = complete ? "Run learning cycles in classrooms; monitor building strategies; report to the district team." : "",
            DistrictsAnswer = complete ? "Provide systems, funding and data; set district goals with the buildings." : "",
            CommonAnswer = complete ? "Needs assessment, root cause, communication and evaluation of goals." : "",
        };
        FunctionStatus[] statuses = [FunctionStatus.InPlace, FunctionStatus.NeedsStrengthening, FunctionStatus.InPlace,
            FunctionStatus.NeedsToBeCreated, FunctionStatus.NeedsStrengthening, FunctionStatus.InPlace];
        foreach (var slot in TemplateWorkflow.BuildingSlots(toolkit.Balance))
        {
            var row = toolkit.Balance.Rows.First(r => r.Number == slot.RowNumber);
            var filled = complete || row.Number <= 3;
            var status = statuses[(row.Number - 1) % statuses.Length];
            template.Items.Add(new BalanceTemplateItem
            {
                DistrictId = districtId,
                RowNumber = row.Number,
                Function = slot.Function,
                Status = filled ? status : null,
                Evidence = filled ? $"Discussed at the building CI team meeting ({row.Label.ToLowerInvariant()})." : "",
                NextAction = filled && status != FunctionStatus.InPlace ? $"Agree a building routine for {row.Label.ToLowerInvariant()}." : "",
                Owner = filled && status != FunctionStatus.InPlace ? "Building principal" : "",
                TargetDate = filled && status != FunctionStatus.InPlace ? DateOnly.FromDateTime(now.UtcDateTime.AddDays(45)) : null,
            });
        }
        return template;
    }

    /// <summary>
    /// A running workshop in Lakeshore's current cycle for trying workshop mode (groups A and B, participants pick):
    /// started when the demo has none open (each lasts its expiry time). Returns its code, or null without the demo district.
    /// </summary>
    public async Task<string?> EnsureRunningWorkshopAsync(TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var lakeshore = await db.Districts.Where(d => d.Code == "61990").Select(d => (int?)d.Id).FirstOrDefaultAsync(cancellationToken);
        if (lakeshore is not { } districtId) return null;
        var cycleId = await db.Cycles.Where(c => c.DistrictId == districtId).OrderByDescending(c => c.StartYear).Select(c => c.Id).FirstAsync(cancellationToken);
        var open = await db.Workshops.Where(w => w.CycleId == cycleId && w.EndedAt == null && w.ExpiresAt > now).Select(w => w.Code).FirstOrDefaultAsync(cancellationToken);
        if (open is not null) return open;
        var groups = await db.RatingGroups.Where(g => g.CycleId == cycleId && !g.IsWholeTeam).OrderBy(g => g.SortOrder).Select(g => g.Id).ToListAsync(cancellationToken);
        var facilitator = await db.Users.Where(u => u.Email == "facilitator@example.org").Select(u => u.Id).FirstOrDefaultAsync(cancellationToken) ?? "";
        var code = WorkshopCodes.New();
        while (await db.Workshops.AnyAsync(w => w.Code == code, cancellationToken)) code = WorkshopCodes.New();
        db.Workshops.Add(new Workshop
        {
            DistrictId = districtId, CycleId = cycleId, Code = code, IncludesActivity1 = true, IncludesActivity2 = true, IncludesActivity3 = true,
            GroupAssignment = GroupAssignment.ParticipantsPick, Groups = WorkshopGroup.ListOf(districtId, groups), Step = WorkshopStep.Arrival, StepOpenedAt = now,
            StartedByUserId = facilitator, StartedAt = now, ExpiresAt = now + lifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return code;
    }
}
