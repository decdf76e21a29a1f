using System.IO.Compression;
using System.Net;
using System.Text;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Review;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;
using Xunit.Abstractions;

namespace MicipPlanner.Web.Tests.Security;

/// <summary>
/// Tenant isolation: Pine Ridge (district B) is filled with distinctive marker strings in every kind
/// of record, then every GET endpoint is requested by Lakeshore (district A) people — with A's ids,
/// and with A's district and cycle but B's building, group, action and example ids — and no response
/// (HTML, JSON, PDF text, export) may contain a marker.
/// </summary>
public sealed class CrossDistrictIsolationTests(MicipWebFactory factory, ITestOutputHelper output) : IClassFixture<MicipWebFactory>
{
    private const string Marker = "PINEMARK";

    /// <summary>Also never shown to A: the other district's real name.</summary>
    private static readonly string[] Markers = [Marker, "Pine Ridge", "Parker Pine"];

    [Fact]
    public async Task No_response_to_a_district_A_person_contains_district_B_data()
    {
        var ids = await DemoIds.LoadAsync(factory);
        await Personas.CreateFacilitatorAsync(factory, Personas.LakeshoreOnlyFacilitatorEmail, ids.Lakeshore);
        var bValues = await SeedDistrictBAsync(ids.PineRidge, ids.PineRidgeCycle);
        var a = await DistrictRouteValues.LoadAsync(factory, ids.Lakeshore, ids.LakeshoreCycle);
        var aExample = await ExampleAsync(ids.Lakeshore, ids.LakeshoreCycle, "An example from Lakeshore.");

        var own = a.ToDictionary();
        own["exampleId"] = aExample.ToString();
        var aWorkshop = await WorkshopSessions.CreateAsync(factory, ids.Lakeshore, ids.LakeshoreCycle);
        own["workshopId"] = aWorkshop.Id.ToString();
        own["participantId"] = (await WorkshopSessions.AddParticipantAsync(factory, aWorkshop)).ToString();
        // A's district and cycle, B's records: a way in only if a query forgets the district.
        var mixed = new Dictionary<string, string>(own)
        {
            ["buildingId"] = bValues["buildingId"], ["groupId"] = bValues["groupId"],
            ["actionId"] = bValues["actionId"], ["exampleId"] = bValues["exampleId"],
            ["membershipId"] = bValues["membershipId"], ["invitationId"] = bValues["invitationId"],
            ["workshopId"] = bValues["workshopId"], ["participantId"] = bValues["participantId"],
            ["goalId"] = bValues["goalId"], ["strategyId"] = bValues["strategyId"], ["activityId"] = bValues["activityId"],
            ["measureId"] = bValues["measureId"], ["valueId"] = bValues["valueId"],
        };
        var getEndpoints = EndpointCatalog.All(factory).Where(e => e.Method is "GET" or "ANY").ToList();

        // Positive control: the markers do show on B's own pages, so their absence below means something.
        var pine = await factory.SignedInAsync("pineridge@example.org");
        var pineSeen = 0;
        foreach (var endpoint in getEndpoints)
        {
            var body = await ReadTextAsync(await pine.GetAsync(EndpointCatalog.Fill(endpoint.Template, bValues)));
            if (body.Contains(Marker, StringComparison.Ordinal)) pineSeen++;
        }
        Assert.True(pineSeen >= 5, $"The markers should show on several of Pine Ridge's own pages (seen on {pineSeen}).");

        string[] people = ["leader@example.org", "member@example.org", "building1@example.org", Personas.LakeshoreOnlyFacilitatorEmail];
        var leaks = new List<string>();
        int requests = 0, okPages = 0;
        foreach (var email in people)
        {
            var client = await factory.SignedInAsync(email);
            var urls = getEndpoints.SelectMany(e => new[] { EndpointCatalog.Fill(e.Template, own), EndpointCatalog.Fill(e.Template, mixed) })
                .Concat([$"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/rubric?group={bValues["groupId"]}"])
                .Distinct().ToList();
            foreach (var url in urls)
            {
                var response = await client.GetAsync(url);
                requests++;
                if (response.StatusCode == HttpStatusCode.OK) okPages++;
                var body = await ReadTextAsync(response);
                foreach (var marker in Markers.Where(m => body.Contains(m, StringComparison.OrdinalIgnoreCase)))
                    leaks.Add($"{email} GET {url} ({(int)response.StatusCode}) shows “{marker}”");
            }
        }
        output.WriteLine($"Isolation: {getEndpoints.Count} GET endpoints, {people.Length} district-A people, {requests} responses scanned ({okPages} pages with content); markers seen on {pineSeen} of Pine Ridge's own pages.");
        Assert.True(okPages > people.Length * 10, $"Too few pages answered 200 ({okPages}) for the scan to mean much.");
        Assert.True(leaks.Count == 0, "District B data reached district A people:\n  " + string.Join("\n  ", leaks));
    }

    /// <summary>Text of a response: PDFs through PdfPig, zip-based exports (XLSX) entry by entry, everything else as text.</summary>
    private static async Task<string> ReadTextAsync(HttpResponseMessage response)
    {
        var type = response.Content.Headers.ContentType?.MediaType ?? "";
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (type == "application/pdf" || (bytes.Length > 4 && Encoding.ASCII.GetString(bytes, 0, 4) == "%PDF"))
        {
            using var pdf = PdfDocument.Open(bytes);
            return string.Join("\n", pdf.GetPages().Select(p => p.Text));
        }
        if (bytes.Length > 2 && bytes[0] == 'P' && bytes[1] == 'K')
        {
            using var zip = new ZipArchive(new MemoryStream(bytes));
            var text = new StringBuilder();
            foreach (var entry in zip.Entries)
            {
                using var reader = new StreamReader(entry.Open());
                text.Append(await reader.ReadToEndAsync());
            }
            return text.ToString();
        }
        return WebUtility.HtmlDecode(Encoding.UTF8.GetString(bytes));
    }

    private async Task<int> ExampleAsync(int districtId, int cycleId, string text)
    {
        var key = factory.Services.GetRequiredService<ToolkitCatalog>().Default.Importance.UnintendedConsequences[0].Key;
        return await factory.WithDbAsync(async db =>
        {
            var author = await db.TeamMemberships.Where(m => m.DistrictId == districtId).Select(m => m.UserId).FirstAsync();
            var example = new ConsequenceExample { DistrictId = districtId, CycleId = cycleId, ConsequenceKey = key, Description = text, CreatedByUserId = author, CreatedAt = DateTimeOffset.UtcNow };
            db.ConsequenceExamples.Add(example);
            await db.SaveChangesAsync();
            return example.Id;
        });
    }

    /// <summary>Marker strings in every kind of district-B record; returns route values pointing into B.</summary>
    private async Task<Dictionary<string, string>> SeedDistrictBAsync(int districtId, int cycleId)
    {
        var toolkit = factory.Services.GetRequiredService<ToolkitCatalog>().Default;
        var exampleId = await ExampleAsync(districtId, cycleId, $"{Marker}-example of an unintended consequence");
        await factory.WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var district = await db.Districts.SingleAsync(d => d.Id == districtId);
            district.Isd = $"{Marker}-isd";
            var leader = await db.Users.SingleAsync(u => u.Email == "pineridge@example.org");
            leader.DisplayName = $"Parker Pine {Marker}-person";
            var buildings = await db.Buildings.Where(b => b.DistrictId == districtId).OrderBy(b => b.Code).ToListAsync();
            for (var i = 0; i < buildings.Count; i++) buildings[i].Name += $" {Marker}-building-{i + 1}";

            var group = new RatingGroup { DistrictId = districtId, CycleId = cycleId, Name = $"{Marker}-group", SortOrder = 5 };
            group.Members.Add(new RatingGroupMember { UserId = leader.Id });
            foreach (var row in toolkit.Rubric.Rows)
                group.Ratings.Add(new RubricRating { DistrictId = districtId, CycleId = cycleId, RowKey = row.Key, Level = 2, Evidence = $"{Marker}-evidence {row.Key}", UpdatedByUserId = leader.Id, UpdatedAt = now });
            db.RatingGroups.Add(group);
            foreach (var row in toolkit.Rubric.Rows)
                db.ConsensusRatings.Add(new ConsensusRating { DistrictId = districtId, CycleId = cycleId, RowKey = row.Key, Level = 3, Rationale = $"{Marker}-rationale", RecordedByUserId = leader.Id, RecordedAt = now });
            foreach (var question in toolkit.Rubric.DiscussionQuestions)
                db.DiscussionNotes.Add(new DiscussionNote { DistrictId = districtId, CycleId = cycleId, QuestionKey = question.Key, Text = $"{Marker}-discussion {question.Key}", UpdatedByUserId = leader.Id, UpdatedAt = now });
            db.ActionItems.Add(new ActionItem { DistrictId = districtId, CycleId = cycleId, Title = $"{Marker}-action item", OwnerUserId = leader.Id, CreatedByUserId = leader.Id, CreatedAt = now, DueDate = DateOnly.FromDateTime(now.UtcDateTime.AddDays(10)) });
            db.OutcomeReflections.Add(new OutcomeReflection { DistrictId = districtId, CycleId = cycleId, UserId = leader.Id, OutcomeNumber = 1, Why = $"{Marker}-reflection", UpdatedAt = now });

            foreach (var buildingId in new int?[] { buildings[0].Id, null })
            {
                var template = new BalanceTemplate
                {
                    DistrictId = districtId, CycleId = cycleId, BuildingId = buildingId, CreatedAt = now, UpdatedAt = now,
                    State = buildingId is null ? TemplateState.Draft : TemplateState.Submitted, SubmittedAt = buildingId is null ? null : now,
                    BuildingsAnswer = $"{Marker}-answer-buildings", DistrictsAnswer = $"{Marker}-answer-districts", CommonAnswer = $"{Marker}-answer-common",
                };
                foreach (var row in toolkit.Balance.Rows)
                    template.Items.Add(new BalanceTemplateItem
                    {
                        DistrictId = districtId, RowNumber = row.Number, Function = buildingId is null ? BalanceFunction.District : BalanceFunction.Building,
                        Status = FunctionStatus.NeedsStrengthening, Evidence = $"{Marker}-template-evidence", NextAction = $"{Marker}-next-action", Owner = $"{Marker}-owner",
                    });
                db.BalanceTemplates.Add(template);
            }
            db.Notifications.Add(new Notification { DistrictId = districtId, UserId = leader.Id, Text = $"{Marker}-notice", Link = "/", CreatedAt = now });
            await db.SaveChangesAsync();

            var buildingTemplate = await db.BalanceTemplates.Where(t => t.CycleId == cycleId && t.BuildingId == buildings[0].Id).Select(t => t.Id).SingleAsync();
            db.Comments.Add(new Comment { DistrictId = districtId, CycleId = cycleId, TargetType = CommentTarget.Template, TargetKey = buildingTemplate.ToString(), Body = $"{Marker}-comment", AuthorUserId = leader.Id, CreatedAt = now });
            db.Comments.Add(new Comment { DistrictId = districtId, CycleId = cycleId, TargetType = CommentTarget.RubricRow, TargetKey = toolkit.Rubric.Rows[0].Key, Body = $"{Marker}-row-comment", AuthorUserId = leader.Id, CreatedAt = now });
            // Practice notes of B (on the demo network, not sharing): one shared, one proposed — neither reaches A's network pages.
            db.PracticeNotes.Add(new Domain.Networks.PracticeNote { DistrictId = districtId, CycleId = cycleId, RowKey = "vision", Level = 3, Text = $"{Marker}-practice note", CreatedByUserId = leader.Id, CreatedAt = now, UpdatedAt = now });
            db.PracticeNotes.Add(new Domain.Networks.PracticeNote { DistrictId = districtId, CycleId = cycleId, RowKey = "plans", Level = 3, Text = $"{Marker}-proposed note", IsProposal = true, CreatedByUserId = leader.Id, CreatedAt = now, UpdatedAt = now });
            await db.SaveChangesAsync();
            // B's plan: a goal, strategy, activity and check-in, each marked.
            var goal = new Domain.Plan.PlanGoal { DistrictId = districtId, CycleId = cycleId, Statement = $"{Marker}-goal", CreatedByUserId = leader.Id, CreatedAt = now };
            db.PlanGoals.Add(goal);
            await db.SaveChangesAsync();
            var strategy = new Domain.Plan.PlanStrategy { DistrictId = districtId, CycleId = cycleId, GoalId = goal.Id, Title = $"{Marker}-strategy", FundingSource = $"{Marker}-funding", CreatedByUserId = leader.Id, CreatedAt = now };
            db.PlanStrategies.Add(strategy);
            await db.SaveChangesAsync();
            var activity = new Domain.Plan.PlanActivity { DistrictId = districtId, CycleId = cycleId, StrategyId = strategy.Id, Title = $"{Marker}-activity", CreatedByUserId = leader.Id, CreatedAt = now };
            db.PlanActivities.Add(activity);
            await db.SaveChangesAsync();
            db.PlanCheckIns.Add(new Domain.Plan.PlanCheckIn { DistrictId = districtId, CycleId = cycleId, ActivityId = activity.Id, Date = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-2), Judgment = Domain.Plan.TeamJudgment.AtRisk, Note = $"{Marker}-check-in", ByUserId = leader.Id, CreatedAt = now });
            await db.SaveChangesAsync();
            // B's measure on that goal, with a marked target's phase change and value.
            var measure = new Domain.Plan.PlanMeasure
            {
                DistrictId = districtId, CycleId = cycleId, GoalId = goal.Id, Name = $"{Marker}-measure", DataSource = $"{Marker}-source",
                Kind = Domain.Plan.MeasureKind.Outcome, Unit = Domain.Plan.MeasureUnit.Count, Better = Domain.Plan.BetterDirection.Higher, CreatedByUserId = leader.Id, CreatedAt = now,
            };
            db.PlanMeasures.Add(measure);
            await db.SaveChangesAsync();
            var today = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-2);
            db.PlanMeasurePhases.Add(new Domain.Plan.PlanMeasurePhase { DistrictId = districtId, CycleId = cycleId, MeasureId = measure.Id, Date = today.AddDays(-20), Label = $"{Marker}-phase", CreatedByUserId = leader.Id, CreatedAt = now });
            db.PlanMeasureTargets.Add(new Domain.Plan.PlanMeasureTarget { DistrictId = districtId, CycleId = cycleId, MeasureId = measure.Id, Date = today.AddDays(30), Value = 12, CreatedByUserId = leader.Id, CreatedAt = now });
            db.PlanMeasureValues.Add(new Domain.Plan.PlanMeasureValue { DistrictId = districtId, CycleId = cycleId, MeasureId = measure.Id, Date = today, Value = 7, Note = $"{Marker}-value", RecordedByUserId = leader.Id, RecordedAt = now });
            await db.SaveChangesAsync();
        });
        var values = (await DistrictRouteValues.LoadAsync(factory, districtId, cycleId)).ToDictionary();
        values["exampleId"] = exampleId.ToString();
        var workshop = await WorkshopSessions.CreateAsync(factory, districtId, cycleId);
        values["workshopId"] = workshop.Id.ToString();
        values["participantId"] = await factory.WithDbAsync(async db =>
        {
            var leaderId = await db.TeamMemberships.Where(m => m.DistrictId == districtId).Select(m => m.UserId).FirstAsync();
            var participant = new Domain.Workshops.WorkshopParticipant
            {
                DistrictId = districtId, WorkshopId = workshop.Id, UserId = leaderId, HasOwnAccount = true, DisplayName = $"{Marker}-participant",
                RatingGroupId = workshop.GroupIds[0], JoinedAt = DateTimeOffset.UtcNow,
            };
            db.WorkshopParticipants.Add(participant);
            await db.SaveChangesAsync();
            return participant.Id.ToString();
        });
        return values;
    }
}
