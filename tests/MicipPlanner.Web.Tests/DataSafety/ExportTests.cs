using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Review;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Data.Backup;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Export;
using MicipPlanner.Web.Startup;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Xunit.Abstractions;

namespace MicipPlanner.Web.Tests.DataSafety;

public sealed class ExportTests(MicipWebFactory factory, EmptyServerFactory target, ITestOutputHelper output)
    : IClassFixture<MicipWebFactory>, IClassFixture<EmptyServerFactory>
{
    private const string Tricky = "Line one\nLine two — “quotes”, emoji 🙂, RTL \u202Eevil\u202C, <b>bold</b> & 'single'";

    /// <summary>Gives Lakeshore at least one record of every kind, with awkward text.</summary>
    private async Task EnrichAsync(DemoIds ids)
    {
        await using var scope = factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await db.Comments.AnyAsync(c => c.DistrictId == ids.Lakeshore && c.Body == Tricky)) return;
        var leader = await db.Users.Where(u => u.Email == "leader@example.org").Select(u => u.Id).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        var c = ids.LakeshoreCycle;
        var template = await db.BalanceTemplates.Where(t => t.DistrictId == ids.Lakeshore && t.CycleId == c).OrderBy(t => t.Id).FirstAsync();
        var item = await db.BalanceTemplateItems.Where(i => i.TemplateId == template.Id).OrderBy(i => i.Id).FirstAsync();
        db.Comments.AddRange(
            new Comment { DistrictId = ids.Lakeshore, CycleId = c, TargetType = CommentTarget.RubricRow, TargetKey = "vision", Body = Tricky, AuthorUserId = leader, CreatedAt = now },
            new Comment { DistrictId = ids.Lakeshore, CycleId = c, TargetType = CommentTarget.Template, TargetKey = template.Id.ToString(CultureInfo.InvariantCulture), Body = "On the template", AuthorUserId = leader, CreatedAt = now },
            new Comment { DistrictId = ids.Lakeshore, CycleId = c, TargetType = CommentTarget.TemplateItem, TargetKey = item.Id.ToString(CultureInfo.InvariantCulture), Body = "On an item", AuthorUserId = leader, CreatedAt = now });
        db.Notifications.Add(new Notification { DistrictId = ids.Lakeshore, UserId = leader, Text = "Harbor View submitted", Link = $"/districts/{ids.Lakeshore}/cycles/{c}/balance/buildings/{ids.LakeshoreBuildings[0]}", CreatedAt = now });
        db.DiscussionNotes.Add(new DiscussionNote { DistrictId = ids.Lakeshore, CycleId = c, QuestionKey = "barriers", Text = Tricky, UpdatedByUserId = leader, UpdatedAt = now });
        db.ConsequenceExamples.Add(new ConsequenceExample { DistrictId = ids.Lakeshore, CycleId = c, ConsequenceKey = "k1", Description = "Duplicated effort", CreatedByUserId = leader, CreatedAt = now });
        db.OutcomeReflections.Add(new OutcomeReflection { DistrictId = ids.Lakeshore, CycleId = c, UserId = leader, OutcomeNumber = 2, Why = "Because", UpdatedAt = now });
        // --- Networks: a practice note of Lakeshore's (its sharing setting is on in the demo data) ---
        db.PracticeNotes.Add(new PracticeNote
        {
            DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreLastCycle, RowKey = "vision", Level = 1, Text = Tricky, ContactRole = "Director",
            IsAnonymous = true, IsProposal = true, CreatedByUserId = leader, CreatedAt = now, UpdatedAt = now,
        });
        // --- end Networks ---
        db.Invitations.Add(new Invitation { DistrictId = ids.Lakeshore, BuildingId = ids.LakeshoreBuildings[1], Email = "new.person@example.org", DisplayName = "New Person", Role = TeamRole.InstructionalStaff, TokenHash = "hash-" + Guid.NewGuid().ToString("N"), CreatedAt = now, ExpiresAt = now.AddDays(14), InvitedByUserId = leader });
        await db.SaveChangesAsync();
        // --- Workshop mode: an ended workshop in two of the cycle's groups, with a seat account and a removed seat ---
        var groups = await db.RatingGroups.Where(g => g.CycleId == c).OrderBy(g => g.Id).Select(g => g.Id).Take(2).ToListAsync();
        var workshop = new Workshop
        {
            DistrictId = ids.Lakeshore, CycleId = c, Code = WorkshopCodes.New(), IncludesActivity2 = true, GroupAssignment = GroupAssignment.RoundRobin,
            Groups = WorkshopGroup.ListOf(ids.Lakeshore, groups), Step = WorkshopStep.Activity2, StepOpenedAt = now, StartedByUserId = leader, StartedAt = now,
            ExpiresAt = now.AddHours(8), EndedAt = now.AddHours(1), Activity2Seconds = 1500,
        };
        db.Workshops.Add(workshop);
        var seatEmail = $"workshop-{Guid.NewGuid():N}@{WorkshopSeats.EmailDomain}";
        var seat = new AppUser
        {
            UserName = seatEmail, NormalizedUserName = seatEmail.ToUpperInvariant(), Email = seatEmail, NormalizedEmail = seatEmail.ToUpperInvariant(),
            DisplayName = "Robin <i>Room</i>", CreatedAt = now, SecurityStamp = Guid.NewGuid().ToString("N"), LockoutEnabled = true, LockoutEnd = DateTimeOffset.MaxValue,
        };
        db.Users.Add(seat);
        await db.SaveChangesAsync();
        db.WorkshopParticipants.AddRange(
            new WorkshopParticipant { DistrictId = ids.Lakeshore, WorkshopId = workshop.Id, UserId = seat.Id, DisplayName = seat.DisplayName, RatingGroupId = groups[0], JoinedAt = now },
            new WorkshopParticipant { DistrictId = ids.Lakeshore, WorkshopId = workshop.Id, UserId = leader, HasOwnAccount = true, DisplayName = "Leader", RatingGroupId = groups[^1], JoinedAt = now, RemovedAt = now.AddMinutes(5) });
        await db.SaveChangesAsync();
        // --- end of workshop mode ---
        // The plan: a goal, a strategy under it, an activity under that and a check-in on it, with awkward text.
        var goal = new MicipPlanner.Domain.Plan.PlanGoal
        {
            DistrictId = ids.Lakeshore, CycleId = c, Statement = Tricky, State = MicipPlanner.Domain.Plan.GoalState.Maintenance, RubricRowKeys = "vision,plans",
            SortOrder = 1, CreatedByUserId = leader, CreatedAt = now,
        };
        db.PlanGoals.Add(goal);
        await db.SaveChangesAsync();
        var strategy = new MicipPlanner.Domain.Plan.PlanStrategy
        {
            DistrictId = ids.Lakeshore, CycleId = c, GoalId = goal.Id, Title = "Coaching cycles", FundingSource = "Title II",
            Systems = MicipPlanner.Domain.Plan.PlanSystems.Data | MicipPlanner.Domain.Plan.PlanSystems.HumanResources, PlannedAmount = 12500.50m,
            CreatedByUserId = leader, CreatedAt = now,
        };
        db.PlanStrategies.Add(strategy);
        await db.SaveChangesAsync();
        // Filed from an action item of the cycle, for some buildings only: both references must survive the round trip.
        var filedFrom = new ActionItem { DistrictId = ids.Lakeshore, CycleId = c, Title = "Train the coaches", CreatedByUserId = leader, CreatedAt = now };
        db.ActionItems.Add(filedFrom);
        await db.SaveChangesAsync();
        var activity = new MicipPlanner.Domain.Plan.PlanActivity
        {
            DistrictId = ids.Lakeshore, CycleId = c, StrategyId = strategy.Id, Title = "Train the coaches", OwnerUserId = leader,
            StartDate = new DateOnly(2026, 9, 1), DueDate = new DateOnly(2026, 11, 30), AllBuildings = false, SourceActionItemId = filedFrom.Id,
            CreatedByUserId = leader, CreatedAt = now,
        };
        db.PlanActivities.Add(activity);
        await db.SaveChangesAsync();
        db.PlanActivityBuildings.AddRange(
            new MicipPlanner.Domain.Plan.PlanActivityBuilding { DistrictId = ids.Lakeshore, ActivityId = activity.Id, BuildingId = ids.LakeshoreBuildings[0] },
            new MicipPlanner.Domain.Plan.PlanActivityBuilding { DistrictId = ids.Lakeshore, ActivityId = activity.Id, BuildingId = ids.LakeshoreBuildings[2] });
        await db.SaveChangesAsync();
        db.PlanCheckIns.Add(new MicipPlanner.Domain.Plan.PlanCheckIn
        {
            DistrictId = ids.Lakeshore, CycleId = c, ActivityId = activity.Id, Date = new DateOnly(2026, 10, 15), Judgment = MicipPlanner.Domain.Plan.TeamJudgment.AtRisk,
            Note = Tricky, EvidenceLink = "https://example.org/minutes", ByUserId = leader, CreatedAt = now,
        });
        db.PlanMeetings.Add(new MicipPlanner.Domain.Plan.PlanMeeting { DistrictId = ids.Lakeshore, CycleId = c, HeldOn = new DateOnly(2026, 10, 16), RecordedByUserId = leader, RecordedAt = now });
        db.DigestClaims.Add(new MicipPlanner.Domain.Plan.DigestClaim
        {
            DistrictId = ids.Lakeshore, UserId = leader, Date = new DateOnly(2026, 10, 16), State = MicipPlanner.Domain.Plan.DigestClaimState.Sent,
            Attempts = 2, ClaimedAt = now, SentAt = now,
        });
        await db.SaveChangesAsync();
        // A measure of the activity with an interim target, a phase change and two values (one of a building), with awkward text.
        var measure = new MicipPlanner.Domain.Plan.PlanMeasure
        {
            DistrictId = ids.Lakeshore, CycleId = c, ActivityId = activity.Id, Name = "Coached classrooms", Kind = MicipPlanner.Domain.Plan.MeasureKind.Process,
            Unit = MicipPlanner.Domain.Plan.MeasureUnit.Percent, Better = MicipPlanner.Domain.Plan.BetterDirection.Higher, BaselineValue = 12.5m,
            BaselineDate = new DateOnly(2026, 9, 1), EndTargetValue = 90m, EndTargetDate = new DateOnly(2027, 6, 1), DataSource = Tricky,
            CreatedByUserId = leader, CreatedAt = now,
        };
        db.PlanMeasures.Add(measure);
        await db.SaveChangesAsync();
        db.PlanMeasureTargets.Add(new MicipPlanner.Domain.Plan.PlanMeasureTarget { DistrictId = ids.Lakeshore, CycleId = c, MeasureId = measure.Id, Date = new DateOnly(2026, 12, 1), Value = 40.25m, CreatedByUserId = leader, CreatedAt = now });
        db.PlanMeasurePhases.Add(new MicipPlanner.Domain.Plan.PlanMeasurePhase { DistrictId = ids.Lakeshore, CycleId = c, MeasureId = measure.Id, Date = new DateOnly(2026, 10, 1), Label = Tricky, CreatedByUserId = leader, CreatedAt = now });
        db.PlanMeasureValues.Add(new MicipPlanner.Domain.Plan.PlanMeasureValue { DistrictId = ids.Lakeshore, CycleId = c, MeasureId = measure.Id, Date = new DateOnly(2026, 10, 15), Value = 33.3333m, Note = Tricky, RecordedByUserId = leader, RecordedAt = now });
        db.PlanMeasureValues.Add(new MicipPlanner.Domain.Plan.PlanMeasureValue { DistrictId = ids.Lakeshore, CycleId = c, MeasureId = measure.Id, Date = new DateOnly(2026, 10, 15), Value = 41m, BuildingId = ids.LakeshoreBuildings[0], RecordedByUserId = leader, RecordedAt = now });
        // A value copied from an accepted building report keeps pointing at its report.
        var sourceReport = await db.BuildingReports.Where(r => r.DistrictId == ids.Lakeshore).OrderBy(r => r.Id).FirstAsync();
        db.PlanMeasureValues.Add(new MicipPlanner.Domain.Plan.PlanMeasureValue { DistrictId = ids.Lakeshore, CycleId = c, MeasureId = measure.Id, Date = new DateOnly(2026, 10, 20), Value = 44m, BuildingId = sourceReport.BuildingId, RecordedByUserId = leader, RecordedAt = now, SourceReportId = sourceReport.Id });
        await db.SaveChangesAsync();
        // A ramp of two PDSA cycles on the activity, the first linked to the measure: the link and the ramp survive the round trip.
        var firstPdsa = new MicipPlanner.Domain.Plan.PdsaCycle
        {
            DistrictId = ids.Lakeshore, CycleId = c, ActivityId = activity.Id, Stage = MicipPlanner.Domain.Plan.PdsaStage.Act, ChangeIdea = "Coaches model a read-aloud",
            Question = Tricky, Prediction = Tricky, Who = "Two coaches", Where = "Grade 3", StartDate = new DateOnly(2026, 9, 15), EndDate = new DateOnly(2026, 10, 1),
            WhatHappened = Tricky, Problems = "None", Observations = "Engaged", Result = Tricky, PredictionOutcome = MicipPlanner.Domain.Plan.PredictionOutcome.PartlyHeld,
            Decision = MicipPlanner.Domain.Plan.PdsaDecision.Adapt, DecisionNote = Tricky, CreatedByUserId = leader, CreatedAt = now,
        };
        db.PdsaCycles.Add(firstPdsa);
        await db.SaveChangesAsync();
        db.PdsaCycles.Add(new MicipPlanner.Domain.Plan.PdsaCycle
        {
            DistrictId = ids.Lakeshore, CycleId = c, ActivityId = activity.Id, PreviousPdsaCycleId = firstPdsa.Id, ChangeIdea = "Read-aloud in grade 2",
            Question = "Does it carry?", Prediction = "Yes", CreatedByUserId = leader, CreatedAt = now,
        });
        db.PdsaMeasureLinks.Add(new MicipPlanner.Domain.Plan.PdsaMeasureLink { DistrictId = ids.Lakeshore, PdsaCycleId = firstPdsa.Id, MeasureId = measure.Id });
        await db.SaveChangesAsync();
        // The goal's year-end evaluation, and the goal carried into a later cycle with its measure continuing the same history:
        // the links between the years survive the round trip.
        db.GoalEvaluations.Add(new MicipPlanner.Domain.Plan.GoalEvaluation
        {
            DistrictId = ids.Lakeshore, CycleId = c, GoalId = goal.Id, Readiness = Tricky, Fidelity = "2 on time", ScaleAndReach = Tricky, Impact = "Met",
            AmountUsed = 9800.25m, Decision = MicipPlanner.Domain.Plan.EvaluationDecision.Revise, Rationale = Tricky, UpdatedByUserId = leader, UpdatedAt = now,
        });
        var laterCycle = await Build.Cycle(db, ids.Lakeshore).SaveAsync();
        var carriedGoal = new MicipPlanner.Domain.Plan.PlanGoal
        {
            DistrictId = ids.Lakeshore, CycleId = laterCycle.Id, Statement = "Carried: " + Tricky, SortOrder = 1, CarriedFromGoalId = goal.Id, CreatedByUserId = leader, CreatedAt = now,
        };
        db.PlanGoals.Add(carriedGoal);
        await db.SaveChangesAsync();
        db.PlanMeasures.Add(new MicipPlanner.Domain.Plan.PlanMeasure
        {
            DistrictId = ids.Lakeshore, CycleId = laterCycle.Id, GoalId = carriedGoal.Id, Name = "Coached classrooms", HistoryMeasureId = measure.Id,
            CreatedByUserId = leader, CreatedAt = now,
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task District_export_restored_into_an_empty_database_reproduces_every_record_field_by_field()
    {
        var ids = await DemoIds.LoadAsync(factory);
        await EnrichAsync(ids);
        var leader = await factory.SignedInAsync("leader@example.org");
        var response = await leader.GetAsync($"/districts/{ids.Lakeshore}/export.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var model = await factory.WithDbAsync(db => Task.FromResult(db.Model));
        var tableNames = DistrictArchive.TableNames(model);
        using (var json = JsonDocument.Parse(bytes))
        {
            Assert.Equal(DistrictArchive.FormatVersion, json.RootElement.GetProperty("formatVersion").GetInt32());
            // Every kind of record the model gives a district is in the file with at least one record, or is carried otherwise.
            foreach (var type in model.GetEntityTypes().Where(t => DistrictPath.Of(t) is not null && !DistrictArchive.CarriedOtherwise.ContainsKey(t.ClrType)))
            {
                Assert.True(json.RootElement.GetProperty("tables").TryGetProperty(type.ClrType.Name, out var rows) && rows.GetArrayLength() > 0,
                    $"{type.ClrType.Name} belongs to a district but has no record in the export: give the demo district one in EnrichAsync");
            }
            // Nothing of the other district travels with it.
            Assert.DoesNotContain("Pine Ridge", Encoding.UTF8.GetString(bytes));
        }

        // --- Networks: the target installation has the demo network (by name), so the district rejoins it ---
        var targetNetwork = await target.WithDbAsync(async db =>
        {
            var network = await db.Networks.FirstOrDefaultAsync(n => n.Name == DemoNetworkData.NetworkName);
            if (network is null)
            {
                network = new Network { Name = DemoNetworkData.NetworkName, CreatedAt = DateTimeOffset.UtcNow };
                db.Networks.Add(network);
                db.AuditEnabled = false; // set-up of the target, not part of the restore whose audit count is compared below
                await db.SaveChangesAsync();
            }
            return network.Id;
        });
        // --- end Networks ---

        DistrictArchive.ImportResult result;
        await using (var scope = target.Scope())
        {
            result = await scope.ServiceProvider.GetRequiredService<DistrictArchive>().ImportAsync(new MemoryStream(bytes));
        }
        Assert.Equal("Lakeshore Public Schools", result.DistrictName);

        // Compare every record of every table, field by field, with ids and accounts translated.
        var source = await factory.WithDbAsync(db => ReadAllAsync(db, ids.Lakeshore));
        var restored = await target.WithDbAsync(db => ReadAllAsync(db, result.DistrictId));
        var idMaps = new Dictionary<string, Dictionary<long, long>>();
        foreach (var table in tableNames)
        {
            var a = source.Tables[table];
            var b = restored.Tables[table];
            Assert.True(a.Count == b.Count, $"{table}: {a.Count} exported, {b.Count} restored");
            idMaps[table] = a.Zip(b).ToDictionary(p => Convert.ToInt64(p.First["Id"], CultureInfo.InvariantCulture), p => Convert.ToInt64(p.Second["Id"], CultureInfo.InvariantCulture));
        }
        int records = 0, fields = 0, references = 0;
        foreach (var table in tableNames)
        {
            foreach (var (a, b) in source.Tables[table].Zip(restored.Tables[table]))
            {
                records++;
                foreach (var (column, value) in a)
                {
                    if (column == "Id") continue;
                    var expected = Translate(model, table, column, value, a, idMaps, source.Emails);
                    var actual = Translate(model, table, column, b[column], b, null, restored.Emails);
                    // A reference must land on the restored counterpart of the record it pointed at (Translate maps it).
                    if (ModelReferences.Find(EntityType(model, table), column) is { } reference && value is not null)
                    {
                        var principal = reference.Principal.ClrType.Name;
                        Assert.True(principal == nameof(AppUser) || idMaps.ContainsKey(principal), $"{table}.{column} points at {principal}, which is not restored");
                        references++;
                    }
                    Assert.True(Equals(expected, actual), $"{table}.{column}: expected {expected ?? "null"}, restored {actual ?? "null"}");
                    fields++;
                }
            }
        }
        // --- Networks: the sharing setting and the membership come back ---
        Assert.True(await target.WithDbAsync(db => db.Districts.Where(d => d.Id == result.DistrictId).Select(d => d.SharesWithNetworks).SingleAsync()));
        Assert.True(await target.WithDbAsync(db => db.NetworkMemberships.AnyAsync(m => m.NetworkId == targetNetwork && m.DistrictId == result.DistrictId)));
        Assert.Equal(1, result.Counts[nameof(NetworkMembership)]);
        // --- end Networks ---
        // The restore writes no audit entries of its own: the district's trail is what it was.
        Assert.Equal(source.Tables["AuditEntry"].Count, await target.WithDbAsync(db => db.AuditEntries.CountAsync()));
        output.WriteLine($"FIGURE round-trip: {records} records, {fields} fields compared across {tableNames.Count} tables, {references} references resolved; {result.UsersCreated} accounts created");

        // Restored people can be found by e-mail with their names; the facilitator keeps the app role.
        await target.WithDbAsync(async db =>
        {
            Assert.Equal("Morgan Member", await db.Users.Where(u => u.Email == "member@example.org").Select(u => u.DisplayName).SingleAsync());
            var facilitator = await db.Users.SingleAsync(u => u.Email == "facilitator@example.org");
            Assert.True(await db.UserRoles.AnyAsync(r => r.UserId == facilitator.Id));
            // Workshop mode: a restored seat account still cannot sign in.
            var seat = await db.Users.SingleAsync(u => u.DisplayName == "Robin <i>Room</i>");
            Assert.EndsWith("@" + WorkshopSeats.EmailDomain, seat.Email);
            Assert.Equal((true, false), (seat.LockoutEnabled, seat.EmailConfirmed));
            Assert.True(seat.LockoutEnd > DateTimeOffset.UtcNow.AddYears(1000), $"seat account locked out only until {seat.LockoutEnd}");
            Assert.Null(seat.PasswordHash);
        });

        // A second import of the same district is refused and writes nothing.
        var before = await target.WithDbAsync(db => db.Buildings.CountAsync());
        await using (var scope = target.Scope())
        {
            var error = new StringWriter();
            var file = Path.Combine(target.DataFolder, "again.json");
            await File.WriteAllBytesAsync(file, bytes);
            Assert.Equal(1, await ImportCommand.RunAsync(scope.ServiceProvider, file, new StringWriter(), error));
            Assert.Contains("already exists", error.ToString());
        }
        Assert.Equal(before, await target.WithDbAsync(db => db.Buildings.CountAsync()));
    }

    [Fact]
    public async Task Administrators_restore_an_uploaded_export_and_others_may_not()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var pineRidge = await factory.SignedInAsync("pineridge@example.org");
        var bytes = await pineRidge.GetByteArrayAsync($"/districts/{ids.PineRidge}/export.json");

        // An administrator of the (otherwise empty) target server.
        await using (var scope = target.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<MicipPlanner.Infrastructure.Identity.AppUser>>();
            if (await users.FindByEmailAsync("restorer@example.org") is null)
            {
                var admin = new MicipPlanner.Infrastructure.Identity.AppUser { UserName = "restorer@example.org", Email = "restorer@example.org", DisplayName = "Restorer", CreatedAt = DateTimeOffset.UtcNow };
                Assert.True((await users.CreateAsync(admin, TestClient.DemoPassword)).Succeeded);
                await users.AddToRoleAsync(admin, MicipPlanner.Infrastructure.Identity.AppRoles.Admin);
            }
        }
        async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] content)
        {
            var token = await client.AntiforgeryTokenAsync("/admin/import");
            using var form = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
                { new ByteArrayContent(content), "file", "pine-ridge.json" },
            };
            return await client.PostAsync("/admin/import", form);
        }

        var restorer = await target.SignedInAsync("restorer@example.org");
        var restored = await UploadAsync(restorer, bytes);
        var page = await restored.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Contains("Pine Ridge Community Schools</strong> was restored", page);
        Assert.Equal(2, await target.WithDbAsync(db => db.Buildings.CountAsync(b => b.District!.Name == "Pine Ridge Community Schools")));

        var again = await UploadAsync(restorer, bytes);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already exists", await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(restorer, "{\"formatVersion\":2}"u8.ToArray())).StatusCode);

        // Only administrators: a key leader gets 403 with the friendly page, like other admin pages.
        var leader = await factory.SignedInAsync("leader@example.org");
        var denied = await leader.GetAsync("/admin/import");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task The_restore_form_carries_its_own_antiforgery_token()
    {
        // Without its own token the browser's upload is refused before the import runs (the sign-out form's token is not part of this form).
        var admin = await factory.SignedInAsync("admin@example.org");
        var form = Html.Parse(await admin.GetHtmlAsync("/admin/import")).Form("/admin/import");
        Assert.Equal("multipart/form-data", form.GetAttribute("enctype"));
        Assert.NotEqual("", form.Field("__RequestVerificationToken"));
    }

    [Fact]
    public async Task Import_refuses_files_of_another_format_version_or_not_json()
    {
        await using var scope = target.Scope();
        var archive = scope.ServiceProvider.GetRequiredService<DistrictArchive>();
        var wrong = await Assert.ThrowsAsync<ImportException>(() => archive.ImportAsync(new MemoryStream("{\"formatVersion\":99,\"tables\":{}}"u8.ToArray())));
        Assert.Contains("version 99", wrong.Message);
        await Assert.ThrowsAsync<ImportException>(() => archive.ImportAsync(new MemoryStream("not json"u8.ToArray())));
        await Assert.ThrowsAsync<ImportException>(() => archive.ImportAsync(new MemoryStream("{\"tables\":{}}"u8.ToArray())));
    }

    private sealed record Snapshot(Dictionary<string, List<Dictionary<string, object?>>> Tables, Dictionary<string, string> Emails);

    /// <summary>Reads a district straight from the database (independently of the exporter).</summary>
    private static async Task<Snapshot> ReadAllAsync(AppDbContext db, int districtId)
    {
        var groups = await db.RatingGroups.Where(g => g.DistrictId == districtId).Select(g => g.Id).ToListAsync();
        var tables = new Dictionary<string, List<Dictionary<string, object?>>>
        {
            ["District"] = Rows(db, await db.Districts.Where(x => x.Id == districtId).AsNoTracking().ToListAsync()),
            ["Building"] = Rows(db, await db.Buildings.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["Cycle"] = Rows(db, await db.Cycles.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["PracticeNote"] = Rows(db, await db.PracticeNotes.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()), // networks
            ["TeamMembership"] = Rows(db, await db.TeamMemberships.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["FacilitatorAssignment"] = Rows(db, await db.FacilitatorAssignments.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["Invitation"] = Rows(db, await db.Invitations.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["RatingGroup"] = Rows(db, await db.RatingGroups.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["RatingGroupMember"] = Rows(db, await db.RatingGroupMembers.Where(x => groups.Contains(x.RatingGroupId)).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            // --- Workshop mode ---
            ["Workshop"] = Rows(db, await db.Workshops.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["WorkshopGroup"] = Rows(db, await db.WorkshopGroups.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["WorkshopParticipant"] = Rows(db, await db.WorkshopParticipants.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            // --- end of workshop mode ---
            ["RubricRating"] = Rows(db, await db.RubricRatings.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["ConsensusRating"] = Rows(db, await db.ConsensusRatings.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["DiscussionNote"] = Rows(db, await db.DiscussionNotes.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["ConsequenceExample"] = Rows(db, await db.ConsequenceExamples.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["OutcomeReflection"] = Rows(db, await db.OutcomeReflections.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["ActionItem"] = Rows(db, await db.ActionItems.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["PlanGoal"] = Rows(db, await db.PlanGoals.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["PlanStrategy"] = Rows(db, await db.PlanStrategies.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["PlanActivity"] = Rows(db, await db.PlanActivities.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["PlanActivityBuilding"] = Rows(db, await db.PlanActivityBuildings.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["PlanCheckIn"] = Rows(db, await db.PlanCheckIns.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["PlanMeeting"] = Rows(db, await db.PlanMeetings.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["PlanMeasure"] = Rows(db, await db.PlanMeasures.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["PdsaCycle"] = Rows(db, await db.PdsaCycles.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["PdsaMeasureLink"] = Rows(db, await db.PdsaMeasureLinks.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["GoalEvaluation"] = Rows(db, await db.GoalEvaluations.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["PlanMeasureTarget"] = Rows(db, await db.PlanMeasureTargets.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["PlanMeasurePhase"] = Rows(db, await db.PlanMeasurePhases.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["PlanMeasureValue"] = Rows(db, await db.PlanMeasureValues.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["MonitoringPeriod"] = Rows(db, await db.MonitoringPeriods.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["ReportedMeasure"] = Rows(db, await db.ReportedMeasures.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["BuildingReport"] = Rows(db, await db.BuildingReports.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["BuildingReportValue"] = Rows(db, await db.BuildingReportValues.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["BuildingReportActivity"] = Rows(db, await db.BuildingReportActivities.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["BuildingReportTransition"] = Rows(db, await db.BuildingReportTransitions.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["BalanceTemplate"] = Rows(db, await db.BalanceTemplates.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["BalanceTemplateItem"] = Rows(db, await db.BalanceTemplateItems.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["TemplateTransition"] = Rows(db, await db.TemplateTransitions.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["Comment"] = Rows(db, await db.Comments.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["Notification"] = Rows(db, await db.Notifications.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["DigestClaim"] = Rows(db, await db.DigestClaims.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
            ["AuditEntry"] = Rows(db, await db.AuditEntries.Where(x => x.DistrictId == districtId).OrderBy(x => x.Id).AsNoTracking().ToListAsync()),
        };
        Assert.Equal(DistrictArchive.TableNames(db.Model).OrderBy(n => n), tables.Keys.OrderBy(n => n));
        var emails = await db.Users.ToDictionaryAsync(u => u.Id, u => u.Email!);
        return new Snapshot(tables, emails);
    }

    private static List<Dictionary<string, object?>> Rows<T>(AppDbContext db, List<T> records) where T : class
    {
        var properties = db.Model.FindEntityType(typeof(T))!.GetProperties().Where(p => p.PropertyInfo is not null).ToList();
        return records.Select(r => properties.ToDictionary(p => p.Name, p => p.PropertyInfo!.GetValue(r))).ToList();
    }

    private static IEntityType EntityType(IModel model, string table) => model.GetEntityTypes().Single(t => t.ClrType.Name == table);

    /// <summary>
    /// A source value as it should read after restore (idMaps given), or a restored value as is (idMaps null); accounts
    /// as e-mail. References are the model's (<see cref="ModelReferences"/>); texts holding ids are listed here.
    /// </summary>
    private static object? Translate(IModel model, string table, string column, object? value, Dictionary<string, object?> row,
        Dictionary<string, Dictionary<long, long>>? idMaps, Dictionary<string, string> emails)
    {
        if (value is null) return null;
        string MapText(string t, string text) => idMaps is not null && long.TryParse(text, out var id) && idMaps.TryGetValue(t, out var map) && map.TryGetValue(id, out var n) ? n.ToString(CultureInfo.InvariantCulture) : text;
        object? MapReference(ModelReference reference, object referenced) => reference.Principal.ClrType == typeof(AppUser)
            ? emails.GetValueOrDefault((string)referenced, "unknown:" + referenced)
            : idMaps is null ? Convert.ToInt64(referenced, CultureInfo.InvariantCulture) : idMaps[reference.Principal.ClrType.Name][Convert.ToInt64(referenced, CultureInfo.InvariantCulture)];
        if (ModelReferences.Find(EntityType(model, table), column) is { } reference) return MapReference(reference, value);
        return (table, column) switch
        {
            ("Comment", "TargetKey") => row["TargetType"] switch
            {
                CommentTarget.Template => MapText("BalanceTemplate", (string)value),
                CommentTarget.TemplateItem => MapText("BalanceTemplateItem", (string)value),
                _ => value,
            },
            ("Notification", "Link") => System.Text.RegularExpressions.Regex.Replace((string)value, @"/(districts|cycles|buildings)/(\d+)", m =>
                $"/{m.Groups[1].Value}/{MapText(m.Groups[1].Value switch { "districts" => "District", "cycles" => "Cycle", _ => "Building" }, m.Groups[2].Value)}"),
            ("AuditEntry", "EntityId") => idMaps is not null && idMaps.ContainsKey((string)row["EntityType"]!) ? MapText((string)row["EntityType"]!, (string)value) : value,
            ("AuditEntry", "OldValue" or "NewValue") when ModelReferences.Find(EntityType(model, (string)row["EntityType"]!), (string)row["Field"]!) is { } audited =>
                audited.Principal.ClrType == typeof(AppUser) ? emails.GetValueOrDefault((string)value, (string)value) : MapText(audited.Principal.ClrType.Name, (string)value),
            _ => value,
        };
    }

    [Fact]
    public async Task Exports_are_for_admins_facilitators_and_key_leaders_only()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var urls = new[]
        {
            $"/districts/{ids.Lakeshore}/export.json",
            $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/export/ratings.csv",
            $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/export/ratings.xlsx",
            $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/export/templates.csv",
            $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/export/templates.xlsx",
        };
        var expected = new Dictionary<string, HttpStatusCode>
        {
            ["admin@example.org"] = HttpStatusCode.OK, ["facilitator@example.org"] = HttpStatusCode.OK, ["leader@example.org"] = HttpStatusCode.OK,
            ["member@example.org"] = HttpStatusCode.Forbidden, ["building1@example.org"] = HttpStatusCode.Forbidden, ["pineridge@example.org"] = HttpStatusCode.NotFound,
        };
        foreach (var (email, status) in expected)
        {
            var client = await factory.SignedInAsync(email);
            foreach (var url in urls) Assert.True(status == (await client.GetAsync(url)).StatusCode, $"{email} {url}");
        }
        var anonymous = factory.CreateBrowserClient();
        foreach (var url in urls) Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync(url)).StatusCode);
        // A cycle of another district through this district's address is not found.
        var leader = await factory.SignedInAsync("leader@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await leader.GetAsync($"/districts/{ids.Lakeshore}/cycles/{ids.PineRidgeCycle}/export/ratings.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await leader.GetAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/export/secrets.csv")).StatusCode);
    }

    [Fact]
    public async Task Csv_neutralises_formulas_and_excel_keeps_them_as_plain_text()
    {
        var ids = await DemoIds.LoadAsync(factory);
        const string formula = "=HYPERLINK(\"http://evil.example\",\"click\")";
        await factory.WithDbAsync(async db =>
        {
            var rating = await db.RubricRatings.Where(r => r.CycleId == ids.LakeshoreCycle).OrderBy(r => r.Id).FirstAsync();
            rating.Evidence = formula;
            var items = await db.BalanceTemplateItems.Where(i => i.DistrictId == ids.Lakeshore).OrderBy(i => i.Id).Take(3).ToListAsync();
            items[0].Owner = "+1+2";
            items[1].Owner = "-3";
            items[2].Owner = "@SUM(A1)";
            await db.SaveChangesAsync();
        });
        var leader = await factory.SignedInAsync("leader@example.org");
        var root = $"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/export";

        var ratingsCsv = await leader.GetAsync($"{root}/ratings.csv");
        Assert.Equal("text/csv", ratingsCsv.Content.Headers.ContentType?.MediaType);
        var csv = await ratingsCsv.Content.ReadAsStringAsync();
        Assert.StartsWith("School year,Group,Row,Row label,Level", csv.TrimStart('\uFEFF'));
        Assert.Contains("'=HYPERLINK", csv);
        Assert.DoesNotContain(",=HYPERLINK", csv);
        Assert.DoesNotContain("\"=HYPERLINK", csv);
        Assert.Contains("Team consensus", await leader.GetStringAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreLastCycle}/export/ratings.csv"));
        var templatesCsv = await leader.GetStringAsync($"{root}/templates.csv");
        foreach (var cell in new[] { "+1+2", "-3", "@SUM(A1)" })
        {
            Assert.Contains("'" + cell, templatesCsv);
            Assert.DoesNotContain("," + cell, templatesCsv);
        }
        Assert.Contains("Harbor View Elementary", templatesCsv);

        var xlsx = await leader.GetByteArrayAsync($"{root}/ratings.xlsx");
        var rows = new MemoryStream(xlsx).Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Contains(rows, r => Equals(r["Evidence or rationale"], formula));
        Assert.Contains(rows, r => Equals(r["Group"], "Group A"));
        using var zip = new ZipArchive(new MemoryStream(xlsx));
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(entry.Open());
            var sheetXml = await reader.ReadToEndAsync();
            Assert.DoesNotContain("<x:f>", sheetXml);
            Assert.DoesNotContain("<f>", sheetXml);
        }
        var templateRows = new MemoryStream(await leader.GetByteArrayAsync($"{root}/templates.xlsx")).Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Contains(templateRows, r => Equals(r["Owner"], "@SUM(A1)"));
    }
}
