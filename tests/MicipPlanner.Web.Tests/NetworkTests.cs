using System.Net;
using System.Text.RegularExpressions;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Domain.Review;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Web.Startup;
using MicipPlanner.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MicipPlanner.Web.Tests;

/// <summary>
/// The facilitator's desk and its review queue, networks with their anonymised benchmarks (k ≥ 3), the sharing setting
/// and the practice library, through the real app on SQLite.
/// </summary>
public sealed partial class NetworkTests(MicipWebFactory factory) : IClassFixture<MicipWebFactory>
{
    private static int CurrentYear => SchoolYears.Current(DateOnly.FromDateTime(DateTime.UtcNow));

    private static int _code = 7000;

    private Task<int> DemoNetworkAsync() => factory.WithDbAsync(db => db.Networks.Where(n => n.Name == DemoNetworkData.NetworkName).Select(n => n.Id).SingleAsync());

    /// <summary>Figures of the network page's tables: "row-year" → (shown, count per level as written, own level marked, status).</summary>
    private static Dictionary<string, (bool Shown, Dictionary<int, string> Cells, int? Own, string? Status)> Figures(string html)
    {
        var result = new Dictionary<string, (bool, Dictionary<int, string>, int?, string?)>();
        foreach (Match row in FigureRow().Matches(html))
        {
            var cells = new Dictionary<int, string>();
            int? own = null;
            foreach (Match cell in FigureCell().Matches(row.Groups["body"].Value))
            {
                var level = int.Parse(cell.Groups["level"].Value);
                cells[level] = cell.Groups["value"].Value.Trim();
                if (cell.Groups["own"].Success) own = level;
            }
            result[row.Groups["key"].Value] = (row.Groups["shown"].Value == "true", cells, own, row.Groups["status"].Success ? row.Groups["status"].Value : null);
        }
        return result;
    }

    [GeneratedRegex("<tr data-figure=\"(?<key>[^\"]+)\" data-shown=\"(?<shown>true|false)\"(?: data-status=\"(?<status>[^\"]+)\")?>(?<body>.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex FigureRow();

    [GeneratedRegex("<td data-level=\"(?<level>\\d)\"[^>]*>(?<value>[^<]*)(?<own><strong[^>]*>your district</strong>)?\\s*</td>", RegexOptions.Singleline)]
    private static partial Regex FigureCell();

    /// <summary>A network of new districts that share this school year's finalized consensus (levels per district, every row alike).</summary>
    private async Task<(int NetworkId, int[] Districts)> NewNetworkAsync(params int[] levels)
    {
        var toolkit = factory.Services.GetRequiredService<ToolkitCatalog>().Default;
        return await factory.WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var network = new Network { Name = $"Test network {Guid.NewGuid():N}", CreatedAt = now };
            var districts = new List<int>();
            foreach (var level in levels)
            {
                var code = Interlocked.Increment(ref _code).ToString("00000");
                var district = new District { Name = $"Network District {code}", Code = code, SharesWithNetworks = true, CreatedAt = now };
                db.Districts.Add(district);
                await db.SaveChangesAsync();
                var cycle = new Cycle { DistrictId = district.Id, StartYear = CurrentYear, ToolkitKey = toolkit.Key, ToolkitVersion = toolkit.Version, CreatedAt = now, RubricFinalizedAt = now };
                db.Cycles.Add(cycle);
                await db.SaveChangesAsync();
                foreach (var row in toolkit.Rubric.Rows)
                    db.ConsensusRatings.Add(new ConsensusRating { DistrictId = district.Id, CycleId = cycle.Id, RowKey = row.Key, Level = level, Rationale = "Agreed", RecordedByUserId = "", RecordedAt = now });
                network.Members.Add(new NetworkMembership { DistrictId = district.Id, AddedAt = now });
                districts.Add(district.Id);
            }
            db.Networks.Add(network);
            await db.SaveChangesAsync();
            return (network.Id, districts.ToArray());
        });
    }

    [Fact]
    public async Task The_desk_shows_each_assigned_district_with_its_progress_and_one_queue_across_them()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var desk = await facilitator.GetHtmlAsync("/desk");
        Assert.Contains("Lakeshore Public Schools", desk);
        Assert.Contains("Pine Ridge Community Schools", desk);
        Assert.DoesNotContain("Maple Valley Schools", desk); // on the network, but not assigned to this facilitator
        Assert.Contains($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}/balance/buildings/{ids.LakeshoreBuildings[0]}/accept", desk);
        Assert.Contains("Harbor View Elementary", desk);
        Assert.Contains("Consensus 0 of 6", desk);
        Assert.Contains("Group A: 4 of 6 rated", desk);
        Assert.Contains("1 submitted", desk);

        // The facilitator's home page is the desk; an administrator's desk has every district.
        Assert.Contains("Facilitator&#x27;s desk", await facilitator.GetHtmlAsync("/"));
        var admin = await factory.SignedInAsync("admin@example.org");
        Assert.Contains("Maple Valley Schools", await admin.GetHtmlAsync("/desk"));

        // A key leader sees their own district's queue only; a district team member has no desk.
        var leader = await factory.SignedInAsync("leader@example.org");
        var leaderDesk = await leader.GetHtmlAsync("/desk");
        Assert.Contains("Harbor View Elementary", leaderDesk);
        Assert.DoesNotContain("Pine Ridge", leaderDesk);
        var member = await factory.SignedInAsync("member@example.org");
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/desk")).StatusCode);
    }

    [Fact]
    public async Task The_desk_shows_each_districts_newest_audit_entry_as_its_last_activity()
    {
        var n = Build.Next();
        var (busy, quiet) = await factory.WithDbAsync(async db =>
        {
            var busy = await Build.District(db).Named($"Busy Activity Schools {n}").WithCycle(CurrentYear).SaveAsync();
            var quiet = await Build.District(db).Named($"Quiet Activity Schools {n}").SaveAsync();
            return (busy.Id, quiet.Id);
        });
        var email = $"activity-{n}@example.org";
        await Personas.CreateFacilitatorAsync(factory, email, busy, quiet);
        await factory.WithDbAsync(async db =>
        {
            // Only the entries written here: the set-up's own saves were audited a moment ago.
            await db.AuditEntries.Where(e => e.DistrictId == busy || e.DistrictId == quiet).ExecuteDeleteAsync();
            AuditEntry At(int districtId, int month, int day) => new()
            {
                DistrictId = districtId, At = new DateTimeOffset(2025, month, day, 15, 0, 0, TimeSpan.Zero), EntityType = "District",
                EntityId = districtId.ToString(System.Globalization.CultureInfo.InvariantCulture), Action = AuditAction.Update, Field = "Name",
            };
            db.AuditEntries.AddRange(At(busy, 3, 2), At(busy, 5, 9), At(busy, 4, 20));
            await db.SaveChangesAsync();
        });

        var page = Html.Parse(await (await factory.SignedInAsync(email)).GetHtmlAsync("/desk?sort=name"));
        string LastActivity(string district)
        {
            var row = page.QuerySelectorAll(".desk-table tbody tr").Single(r => r.QuerySelector("th")!.Text() == district);
            return row.QuerySelectorAll("td").Last().Text();
        }
        Assert.Equal("May 9, 2025", LastActivity($"Busy Activity Schools {n}"));
        Assert.Equal("—", LastActivity($"Quiet Activity Schools {n}"));
    }

    [Fact]
    public async Task The_desk_counts_each_districts_current_cycle_only_by_template_state_and_open_and_overdue_items()
    {
        var n = Build.Next();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (busy, empty) = await factory.WithDbAsync(async db =>
        {
            var busy = await Build.District(db).Named($"Counted Schools {n}")
                .WithBuilding("Draft Elementary").WithBuilding("Returned Elementary").WithBuilding("Accepted Middle")
                .WithBuilding("Submitted High").WithBuilding("Unstarted Academy")
                .WithCycle(CurrentYear - 1)
                .WithCycle(CurrentYear, cycle => cycle.WithConsensus(row => 2).Finalized())
                .SaveAsync();
            var empty = await Build.District(db).Named($"Cycleless Schools {n}").WithBuilding("Lone Elementary").SaveAsync();
            return (busy, empty.Id);
        });
        await factory.WithDbAsync(async db =>
        {
            var cycles = await db.Cycles.Where(c => c.DistrictId == busy.Id).OrderBy(c => c.StartYear).ToListAsync();
            var (older, current) = (cycles[0], cycles[1]);
            var buildings = busy.Buildings.OrderBy(b => b.Id).Select(b => b.Id).ToList();
            TemplateState[] states = [TemplateState.Draft, TemplateState.Returned, TemplateState.Accepted, TemplateState.Submitted];
            for (var i = 0; i < states.Length; i++) await Build.Template(db, current, buildings[i]).InState(states[i]).SaveAsync();
            // Last year's templates and items must not count: the desk shows the current cycle.
            foreach (var building in buildings) await Build.Template(db, older, building).InState(TemplateState.Submitted).SaveAsync();
            ActionItem Item(Cycle cycle, ActionStatus status, int? dueInDays) => new()
            {
                DistrictId = busy.Id, CycleId = cycle.Id, Title = $"Item {status} {dueInDays}", Status = status,
                DueDate = dueInDays is { } days ? today.AddDays(days) : null, CreatedAt = DateTimeOffset.UtcNow,
            };
            db.ActionItems.AddRange(
                Item(current, ActionStatus.NotStarted, -3), Item(current, ActionStatus.InProgress, -40), // overdue
                Item(current, ActionStatus.NotStarted, 10), Item(current, ActionStatus.InProgress, null), // open, not overdue
                Item(current, ActionStatus.Done, -5), // done: neither
                Item(older, ActionStatus.NotStarted, -300));
            await db.SaveChangesAsync();

            // The plan: an overdue activity, one under way without a check-in for 45 days, one done; an archived goal's
            // overdue work and last year's count in nothing.
            PlanGoal Goal(Cycle cycle, GoalState state) => new()
            {
                DistrictId = busy.Id, CycleId = cycle.Id, Statement = $"Goal {state}", State = state, CreatedAt = DateTimeOffset.UtcNow,
            };
            var goals = new[] { Goal(current, GoalState.Active), Goal(current, GoalState.Archived), Goal(older, GoalState.Active) };
            db.PlanGoals.AddRange(goals);
            await db.SaveChangesAsync();
            var strategies = goals.Select(g => new PlanStrategy { DistrictId = busy.Id, CycleId = g.CycleId, GoalId = g.Id, Title = "Strategy", CreatedAt = DateTimeOffset.UtcNow }).ToList();
            db.PlanStrategies.AddRange(strategies);
            await db.SaveChangesAsync();
            PlanActivity Activity(PlanStrategy strategy, int start, int due, int? done = null) => new()
            {
                DistrictId = busy.Id, CycleId = strategy.CycleId, StrategyId = strategy.Id, Title = "Activity", StartDate = today.AddDays(start),
                DueDate = today.AddDays(due), DoneDate = done is { } d ? today.AddDays(d) : null, CreatedAt = DateTimeOffset.UtcNow,
            };
            db.PlanActivities.AddRange(Activity(strategies[0], -10, -2), Activity(strategies[0], -45, 60), Activity(strategies[0], -60, -20, done: -21),
                Activity(strategies[1], -10, -2), Activity(strategies[2], -300, -200));
            await db.SaveChangesAsync();
        });
        var email = $"counted-{n}@example.org";
        await Personas.CreateFacilitatorAsync(factory, email, busy.Id, empty);

        var page = Html.Parse(await (await factory.SignedInAsync(email)).GetHtmlAsync("/desk?sort=name"));
        string[] Cells(string district) => page.QuerySelectorAll(".desk-table tbody tr")
            .Single(r => r.QuerySelector("th")!.Text() == district).QuerySelectorAll("td").Select(td => td.Text()).ToArray();

        var counted = Cells($"Counted Schools {n}");
        Assert.Equal(SchoolYears.Format(CurrentYear), counted[0]);
        Assert.StartsWith("Consensus 6 of 6 · finalized", counted[1], StringComparison.Ordinal);
        Assert.Equal("1 submitted · 1 returned · 1 accepted · 1 draft · 1 not started", counted[2]);
        Assert.Equal("4 open · 2 overdue", counted[3]);
        Assert.Equal("2 open · 1 overdue · 1 without a check-in", counted[4]);

        var cycleless = Cells($"Cycleless Schools {n}");
        Assert.Equal("No cycle yet", cycleless[0]);
        Assert.Equal("—", cycleless[1]);
        Assert.Equal("0 submitted · 0 returned · 0 accepted · 0 draft · 1 not started", cycleless[2]);
        Assert.Equal("0 open", cycleless[3]);
        Assert.Equal("—", cycleless[4]);
    }

    [Fact]
    public async Task Needs_me_puts_the_district_whose_template_waits_longest_first()
    {
        var ids = await DemoIds.LoadAsync(factory);
        await factory.WithDbAsync(async db =>
        {
            var building = await db.Buildings.Where(b => b.DistrictId == ids.PineRidge).OrderBy(b => b.Code).Select(b => b.Id).FirstAsync();
            if (await db.BalanceTemplates.AnyAsync(t => t.CycleId == ids.PineRidgeCycle && t.BuildingId == building)) return;
            var long_ago = DateTimeOffset.UtcNow.AddDays(-12);
            db.BalanceTemplates.Add(new BalanceTemplate
            {
                DistrictId = ids.PineRidge, CycleId = ids.PineRidgeCycle, BuildingId = building, State = TemplateState.Submitted,
                CreatedAt = long_ago, UpdatedAt = long_ago, SubmittedAt = long_ago,
            });
            await db.SaveChangesAsync();
        });
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        string FirstDistrictRow(string html)
        {
            var table = html[html.IndexOf("desk-table", StringComparison.Ordinal)..];
            return Regex.Match(table, "<th scope=\"row\">\\s*<a href=\"/districts/\\d+\">([^<]+)</a>").Groups[1].Value;
        }
        var needsMe = await facilitator.GetHtmlAsync("/desk");
        Assert.Equal("Pine Ridge Community Schools", FirstDistrictRow(needsMe));
        Assert.Contains("12 days", needsMe);
        Assert.True(needsMe.IndexOf("Pine Ridge Elementary", StringComparison.Ordinal) < needsMe.IndexOf("Harbor View Elementary", StringComparison.Ordinal),
            "The queue lists the template waiting longest first.");
        Assert.Equal("Lakeshore Public Schools", FirstDistrictRow(await facilitator.GetHtmlAsync("/desk?sort=name")));
    }

    [Fact]
    public async Task Returning_and_accepting_from_the_desk_queue_go_through_the_template_workflow_with_audit_and_notices()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var toolkit = factory.Services.GetRequiredService<ToolkitCatalog>().Default;
        // A submitted template of its own, so other tests keep the demo's.
        var (cycleId, buildingId, version) = await factory.WithDbAsync(async db =>
        {
            var building = new Building { DistrictId = ids.Lakeshore, Name = "Queue Test School", Code = "01777", Grades = "K-5" };
            db.Buildings.Add(building);
            await db.SaveChangesAsync();
            var template = new BalanceTemplate
            {
                DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreCycle, BuildingId = building.Id, State = TemplateState.Submitted,
                CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow, SubmittedAt = DateTimeOffset.UtcNow,
            };
            foreach (var slot in TemplateWorkflow.BuildingSlots(toolkit.Balance))
                template.Items.Add(new BalanceTemplateItem { DistrictId = ids.Lakeshore, RowNumber = slot.RowNumber, Function = slot.Function, Status = FunctionStatus.InPlace });
            db.BalanceTemplates.Add(template);
            var reader = await db.Users.Where(u => u.Email == "building2@example.org").Select(u => u.Id).SingleAsync();
            db.TeamMemberships.Add(new TeamMembership { DistrictId = ids.Lakeshore, BuildingId = building.Id, UserId = reader, Role = TeamRole.BuildingLeader, JoinedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            return (ids.LakeshoreCycle, building.Id, template.Version);
        });
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var url = $"/districts/{ids.Lakeshore}/cycles/{cycleId}/balance/buildings/{buildingId}";
        Assert.Contains("Queue Test School", await facilitator.GetHtmlAsync("/desk"));

        // Returning needs a comment, as everywhere: refused without one, nothing changes.
        var refused = await facilitator.PostFormAsync($"{url}/return", new() { ["Version"] = version.ToString(), ["ReturnTo"] = "desk", ["Comment"] = "" }, formPage: "/desk");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var returned = await facilitator.PostFormAsync($"{url}/return", new() { ["Version"] = version.ToString(), ["ReturnTo"] = "desk", ["Comment"] = "Name an owner for row 2." }, formPage: "/desk");
        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);
        Assert.Equal("/desk#queue", returned.Headers.Location!.OriginalString);
        var (state, transitions, notices, audit) = await factory.WithDbAsync(async db =>
        {
            var t = await db.BalanceTemplates.SingleAsync(x => x.CycleId == cycleId && x.BuildingId == buildingId);
            var steps = await db.TemplateTransitions.Where(x => x.TemplateId == t.Id).Select(x => x.Comment).ToListAsync();
            var n = await db.Notifications.CountAsync(x => x.DistrictId == ids.Lakeshore && x.Link == url && x.Text.Contains("returned"));
            var a = await db.AuditEntries.CountAsync(x => x.EntityType == nameof(BalanceTemplate) && x.EntityId == t.Id.ToString() && x.Field == "State" && x.NewValue == "Returned");
            return (t.State, steps, n, a);
        });
        Assert.Equal(TemplateState.Returned, state);
        Assert.Contains("Name an owner for row 2.", transitions);
        Assert.Equal(1, notices);
        Assert.Equal(1, audit);
        Assert.DoesNotContain($"{url}/accept", await facilitator.GetHtmlAsync("/desk"));

        // Submitted again, accepted from the queue.
        var newVersion = await factory.WithDbAsync(async db =>
        {
            var t = await db.BalanceTemplates.SingleAsync(x => x.CycleId == cycleId && x.BuildingId == buildingId);
            t.State = TemplateState.Submitted;
            await db.SaveChangesAsync();
            return t.Version;
        });
        var stale = await facilitator.PostFormAsync($"{url}/accept", new() { ["Version"] = version.ToString(), ["ReturnTo"] = "desk" }, formPage: "/desk");
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode); // the queue row was older than the template
        var accepted = await facilitator.PostFormAsync($"{url}/accept", new() { ["Version"] = newVersion.ToString(), ["ReturnTo"] = "desk" }, formPage: "/desk");
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(TemplateState.Accepted, await factory.WithDbAsync(db => db.BalanceTemplates.Where(x => x.CycleId == cycleId && x.BuildingId == buildingId).Select(x => x.State).SingleAsync()));
    }

    [Fact]
    public async Task A_member_reads_the_benchmarks_with_their_own_district_marked_and_small_figures_withheld()
    {
        var networkId = await DemoNetworkAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var html = await member.GetHtmlAsync($"/networks/{networkId}");
        var figures = Figures(html);
        Assert.Equal(6 * NetworkQueryYears, figures.Count);

        // This year: the eight generated districts (Lakeshore has not finalized) — a real distribution, Lakeshore not marked.
        var routinesNow = figures[$"routines-{CurrentYear}"];
        Assert.True(routinesNow.Shown);
        Assert.Null(routinesNow.Own);
        Assert.Equal("0", routinesNow.Cells[2]);
        Assert.Equal("5", routinesNow.Cells[3]);
        Assert.Equal("3", routinesNow.Cells[4]);
        // Last year: Lakeshore and the eight others; Lakeshore's level (1 on routines) is marked, and as the only
        // district at Beginning it shows as "fewer than 3".
        var routinesLast = figures[$"routines-{CurrentYear - 1}"];
        Assert.True(routinesLast.Shown);
        Assert.Equal(1, routinesLast.Own);
        Assert.Equal("fewer than 3", routinesLast.Cells[1]);
        Assert.Equal("5", routinesLast.Cells[2]);
        // Evolving holds 3, but it is withheld with Beginning so the one district there cannot be worked out from the total.
        Assert.Equal("withheld", routinesLast.Cells[3]);
        // Two years ago: every generated district finalized, so that year shows too.
        var routinesEarlier = figures[$"routines-{CurrentYear - 2}"];
        Assert.True(routinesEarlier.Shown);
        Assert.Equal("5", routinesEarlier.Cells[1]);
        Assert.Equal("3", routinesEarlier.Cells[2]);
        Assert.All(figures.Values, f => Assert.True(f.Shown));
        Assert.Contains("<svg", html);

        // Notes: the named one with its district, the anonymous one without; no member list for a district team.
        Assert.Contains("a standing monthly meeting with rotating facilitator", html);
        Assert.Contains("Maple Valley Schools", html);
        Assert.Contains("We rewrote the CI team charter", html);
        Assert.DoesNotContain("Cedar Bay", html);
        Assert.DoesNotContain("Pine Ridge", html);
        Assert.DoesNotContain("Huron Shores", html);

        // The library filters by row and level.
        var filtered = await member.GetHtmlAsync($"/networks/{networkId}?row=policies&level=3");
        Assert.Contains("We rewrote the CI team charter", filtered);
        Assert.DoesNotContain("rotating facilitator", filtered);

        // The coordinator sees which districts are on it.
        var coordinator = await factory.SignedInAsync("facilitator@example.org");
        Assert.Contains("Huron Shores Public Schools", await coordinator.GetHtmlAsync($"/networks/{networkId}"));
    }

    private const int NetworkQueryYears = Features.Networks.NetworkQuery.YearsShown;

    [Fact]
    public async Task A_small_cell_shows_as_fewer_than_3_and_a_district_leaving_withholds_every_figure_it_was_in_at_once()
    {
        var (networkId, districts) = await NewNetworkAsync(2, 2, 2, 4);
        var admin = await factory.SignedInAsync("admin@example.org");
        var page = await admin.GetHtmlAsync($"/networks/{networkId}");
        var figure = Figures(page)[$"vision-{CurrentYear}"];
        Assert.True(figure.Shown);
        // One district at Accomplished: withheld, and Developing with it (4 - 3 would give it away). Developing holds 3
        // districts, so it says "withheld", not "fewer than 3", and the note under the table says why.
        Assert.Equal("fewer than 3", figure.Cells[4]);
        Assert.Equal("withheld", figure.Cells[2]);
        Assert.Equal("0", figure.Cells[1]);
        var note = Html.Parse(page).QuerySelector($"#bench-vision-withheld-note")?.TextContent ?? "";
        Assert.Contains("could otherwise be worked out from the total", note);

        // Two districts leave: one taken off the list, one whose key leader stops sharing. The figures they were counted in are
        // withheld at once (new numbers would give the leaver's level away; the old ones count a district that left).
        var remove = await admin.PostFormAsync($"/networks/{networkId}/districts/{districts[3]}/remove", new() { ["Confirm"] = "true" }, formPage: $"/networks/{networkId}/edit");
        Assert.Equal(HttpStatusCode.Redirect, remove.StatusCode);
        var afterRemove = Figures(await admin.GetHtmlAsync($"/networks/{networkId}"))[$"vision-{CurrentYear}"];
        Assert.Equal((false, "contributor-left"), (afterRemove.Shown, afterRemove.Status));
        await factory.WithDbAsync(async db =>
        {
            var district = await db.Districts.SingleAsync(d => d.Id == districts[0]);
            district.SharesWithNetworks = false;
            await db.SaveChangesAsync();
        });
        var figures = Figures(await admin.GetHtmlAsync($"/networks/{networkId}"));
        Assert.All(figures.Values, f => Assert.False(f.Shown));

        // Removing needs the confirmation tick.
        var unconfirmed = await admin.PostFormAsync($"/networks/{networkId}/districts/{districts[1]}/remove", new() { ["Confirm"] = "false" }, formPage: $"/networks/{networkId}/edit");
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.NetworkMemberships.AnyAsync(m => m.NetworkId == networkId && m.DistrictId == districts[1])));
    }

    /// <summary>A new district that shares with networks, with its rubric finalized in each school year given (its level on every row).</summary>
    private Task<int> SharingDistrictAsync(params (int Year, int Level)[] finalized) => factory.WithDbAsync(async db =>
    {
        var district = await Build.District(db).SharingWithNetworks().SaveAsync();
        foreach (var (year, level) in finalized)
            await Build.Cycle(db, district.Id).StartingIn(year).Finalized().WithConsensus(_ => level).SaveAsync();
        return district.Id;
    });

    /// <summary>
    /// What someone comparing two readings of the page can subtract: for each figure and level shown as a number both times,
    /// the difference. A district's level shows up here as a +1 or −1 when figures simply follow the districts.
    /// </summary>
    private static List<string> Subtract(Dictionary<string, (bool Shown, Dictionary<int, string> Cells, int? Own, string? Status)> before,
        Dictionary<string, (bool Shown, Dictionary<int, string> Cells, int? Own, string? Status)> after)
    {
        var differences = new List<string>();
        foreach (var (key, then) in before)
        {
            if (!then.Shown || !after.TryGetValue(key, out var now) || !now.Shown) continue;
            foreach (var (level, text) in then.Cells)
                if (int.TryParse(text, out var a) && int.TryParse(now.Cells[level], out var b) && a != b)
                    differences.Add($"{key} level {level}: {a} → {b}");
        }
        return differences;
    }

    [Fact]
    public async Task A_coordinator_subtracting_the_figures_across_a_join_a_leave_or_a_stop_in_sharing_learns_nothing_of_that_district()
    {
        var coordinatorEmail = $"differencing-{Build.Next()}@example.org";
        await Personas.CreateFacilitatorAsync(factory, coordinatorEmail);
        var coordinator = await factory.SignedInAsync(coordinatorEmail);
        var admin = await factory.SignedInAsync("admin@example.org");
        var (lastYear, thisYear) = (CurrentYear - 1, CurrentYear);

        // A network the coordinator follows: three districts at Developing and three at Evolving last year and this year,
        // and one more at Developing this year only, so every level a district could join at is shown as a number.
        async Task<(int NetworkId, int[] Districts)> NetworkAsync()
        {
            var districts = new List<int>();
            for (var i = 0; i < 6; i++) districts.Add(await SharingDistrictAsync((lastYear, i < 3 ? 2 : 3), (thisYear, i < 3 ? 2 : 3)));
            districts.Add(await SharingDistrictAsync((thisYear, 2)));
            var networkId = await factory.WithDbAsync(async db =>
            {
                var network = new Network
                {
                    Name = $"Differencing network {Guid.NewGuid():N}", CreatedAt = DateTimeOffset.UtcNow,
                    CoordinatorUserId = await db.Users.Where(u => u.Email == coordinatorEmail).Select(u => u.Id).SingleAsync(),
                };
                network.Members.AddRange(districts.Select(d => new NetworkMembership { DistrictId = d, AddedAt = DateTimeOffset.UtcNow }));
                db.Networks.Add(network);
                await db.SaveChangesAsync();
                return network.Id;
            });
            return (networkId, districts.ToArray());
        }
        async Task<Dictionary<string, (bool Shown, Dictionary<int, string> Cells, int? Own, string? Status)>> ReadAsync(int networkId)
        {
            var html = await coordinator.GetHtmlAsync($"/networks/{networkId}");
            Assert.Matches(@"^Figures as of [A-Z][a-z]{2} \d{1,2}, \d{4}$", Html.Parse(html).QuerySelector("section[aria-labelledby=benchmarks-title] p")!.TextContent.Trim());
            return Figures(html);
        }
        Task<HttpResponseMessage> AddAsync(int networkId, int districtId) =>
            admin.PostFormAsync($"/networks/{networkId}/districts", new() { ["DistrictId"] = districtId.ToString() }, formPage: $"/networks/{networkId}/edit");
        var rows = factory.Services.GetRequiredService<ToolkitCatalog>().Default.Rubric.Rows.Select(r => r.Key).ToList();
        IEnumerable<string> Keys(int year) => rows.Select(r => $"{r}-{year}");

        // A district joins: before and after, every number the coordinator can subtract is the same.
        var (joinNetwork, _) = await NetworkAsync();
        var before = await ReadAsync(joinNetwork);
        Assert.All(Keys(lastYear).Concat(Keys(thisYear)), key => Assert.True(before[key].Shown, key));
        var joiner = await SharingDistrictAsync((lastYear, 3), (thisYear, 2));
        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync(joinNetwork, joiner)).StatusCode);
        var afterJoin = await ReadAsync(joinNetwork);
        Assert.Empty(Subtract(before, afterJoin));
        Assert.All(Keys(lastYear).Concat(Keys(thisYear)), key => Assert.True(afterJoin[key].Shown, key));

        // Two more join: with three new districts the figures move, by all three together (this year 3 more at Developing,
        // last year 2 more at Evolving and 1 at Beginning): no single district's level is a difference of its own.
        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync(joinNetwork, await SharingDistrictAsync((lastYear, 3), (thisYear, 2)))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync(joinNetwork, await SharingDistrictAsync((lastYear, 1), (thisYear, 2)))).StatusCode);
        var afterThree = await ReadAsync(joinNetwork);
        foreach (var key in Keys(thisYear)) Assert.Equal(("7", "3"), (afterThree[key].Cells[2], afterThree[key].Cells[3]));
        foreach (var key in Keys(lastYear)) Assert.Equal(("fewer than 3", "withheld", "5"), (afterThree[key].Cells[1], afterThree[key].Cells[2], afterThree[key].Cells[3]));

        // A district is taken off the network: every figure it was counted in (this year's) is withheld, not kept, since it no
        // longer shares; last year's figures never counted it and stay as they were.
        var (leaveNetwork, leaving) = await NetworkAsync();
        before = await ReadAsync(leaveNetwork);
        var removed = await admin.PostFormAsync($"/networks/{leaveNetwork}/districts/{leaving[6]}/remove", new() { ["Confirm"] = "true" }, formPage: $"/networks/{leaveNetwork}/edit");
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        var afterLeave = await ReadAsync(leaveNetwork);
        Assert.Empty(Subtract(before, afterLeave));
        Assert.All(Keys(thisYear), key => Assert.Equal((false, "contributor-left"), (afterLeave[key].Shown, afterLeave[key].Status)));
        Assert.All(Keys(lastYear), key => Assert.Equal(before[key].Cells, afterLeave[key].Cells));

        // A district's key leader stops sharing: the same, for every figure it was in (both years).
        var (stopNetwork, stopping) = await NetworkAsync();
        before = await ReadAsync(stopNetwork);
        await factory.WithDbAsync(async db =>
        {
            (await db.Districts.SingleAsync(d => d.Id == stopping[0])).SharesWithNetworks = false;
            await db.SaveChangesAsync();
        });
        var afterStop = await ReadAsync(stopNetwork);
        Assert.Empty(Subtract(before, afterStop));
        Assert.All(Keys(lastYear).Concat(Keys(thisYear)), key => Assert.Equal((false, "contributor-left"), (afterStop[key].Shown, afterStop[key].Status)));
        Assert.Contains("has left the network or stopped sharing", await coordinator.GetHtmlAsync($"/networks/{stopNetwork}"));
    }

    [Fact]
    public async Task Reopening_a_rubric_keeps_the_published_figures_and_finalizing_again_shows_once_3_districts_have_changed()
    {
        var (networkId, districts) = await NewNetworkAsync(3, 3, 3, 3);
        var admin = await factory.SignedInAsync("admin@example.org");
        Assert.Equal("4", Figures(await admin.GetHtmlAsync($"/networks/{networkId}"))[$"vision-{CurrentYear}"].Cells[3]);

        // Reopened, the district still shares: the figure keeps the numbers it was published with (new ones would show one
        // district fewer at Evolving, which is that district's level).
        async Task ReopenAsync(int district) => await factory.WithDbAsync(async db =>
        {
            (await db.Cycles.SingleAsync(c => c.DistrictId == district)).RubricFinalizedAt = null;
            await db.SaveChangesAsync();
        });
        async Task FinalizeAgainAsync(int district, int visionLevel) => await factory.WithDbAsync(async db =>
        {
            var cycle = await db.Cycles.SingleAsync(c => c.DistrictId == district);
            (await db.ConsensusRatings.SingleAsync(c => c.CycleId == cycle.Id && c.RowKey == "vision")).Level = visionLevel;
            cycle.RubricFinalizedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
        });
        await ReopenAsync(districts[0]);
        Assert.Equal("4", Figures(await admin.GetHtmlAsync($"/networks/{networkId}"))[$"vision-{CurrentYear}"].Cells[3]);

        // The team moves vision to Accomplished and finalizes again: still one changed district, the numbers stay.
        await FinalizeAgainAsync(districts[0], 4);
        var vision = Figures(await admin.GetHtmlAsync($"/networks/{networkId}"))[$"vision-{CurrentYear}"];
        Assert.Equal(("4", "0"), (vision.Cells[3], vision.Cells[4]));

        // Two more districts finalize again at Accomplished: three changed, the new levels show (3 at Accomplished; the one
        // left at Evolving is fewer than 3, and Accomplished is withheld with it).
        await ReopenAsync(districts[1]);
        await FinalizeAgainAsync(districts[1], 4);
        await ReopenAsync(districts[2]);
        await FinalizeAgainAsync(districts[2], 4);
        vision = Figures(await admin.GetHtmlAsync($"/networks/{networkId}"))[$"vision-{CurrentYear}"];
        Assert.Equal(("fewer than 3", "withheld"), (vision.Cells[3], vision.Cells[4]));
        // The other rows were not changed by anyone: the same districts, but finalized again, so their numbers stay as published.
        Assert.Equal("4", Figures(await admin.GetHtmlAsync($"/networks/{networkId}"))[$"plans-{CurrentYear}"].Cells[3]);
    }

    [Fact]
    public async Task Only_the_key_leader_turns_sharing_on_or_off_and_the_change_is_audited()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var pine = await factory.SignedInAsync("pineridge@example.org");
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var edit = $"/districts/{ids.PineRidge}/edit";
        Dictionary<string, string> Share(bool share) => new() { ["SharesWithNetworks"] = share ? "true" : "false" };
        Task<bool> Shares() => factory.WithDbAsync(db => db.Districts.Where(d => d.Id == ids.PineRidge).Select(d => d.SharesWithNetworks).SingleAsync());

        // The facilitator may edit the district but not give its consent: the box is disabled for them, and a forged tick is ignored.
        var rendered = RenderedForm.Find(Html.Parse(await facilitator.GetHtmlAsync(edit)), edit, [])!;
        Assert.Throws<InvalidOperationException>(() => rendered.Set("SharesWithNetworks", "true"));
        var forged = rendered.Values.Append(KeyValuePair.Create("SharesWithNetworks", "true")).ToList();
        var byFacilitator = await facilitator.PostAsync(edit, new FormUrlEncodedContent(forged));
        Assert.True(byFacilitator.StatusCode == HttpStatusCode.Redirect, await byFacilitator.Content.ReadAsStringAsync());
        Assert.False(await Shares());
        Assert.Contains("Only the district's key leader can change this.", await facilitator.GetHtmlAsync($"/districts/{ids.PineRidge}/edit"));

        Assert.Equal(HttpStatusCode.Redirect, (await pine.PostFormAsync(edit, Share(true))).StatusCode);
        Assert.True(await Shares());
        var audit = await factory.WithDbAsync(db => db.AuditEntries.Where(a => a.DistrictId == ids.PineRidge && a.Field == nameof(District.SharesWithNetworks))
            .Select(a => new { a.OldValue, a.NewValue }).ToListAsync());
        Assert.Contains(audit, a => a.OldValue == "False" && a.NewValue == "True");

        Assert.Equal(HttpStatusCode.Redirect, (await pine.PostFormAsync(edit, Share(false))).StatusCode);
        Assert.False(await Shares());
    }

    [Fact]
    public async Task The_key_leader_shares_edits_and_withdraws_a_note_each_step_audited_and_seen_at_once_by_the_network()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var networkId = await DemoNetworkAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var member = await factory.SignedInAsync("member@example.org");
        var pine = await factory.SignedInAsync("pineridge@example.org");
        var notes = $"/districts/{ids.Lakeshore}/practice-notes";
        var note = new Dictionary<string, string>
        {
            ["CycleId"] = ids.LakeshoreLastCycle.ToString(), ["RowKey"] = "goal-setting", ["Text"] = "LAKENOTE: a shared goal calendar with the principals.",
            ["ContactRole"] = "Assistant superintendent", ["IsAnonymous"] = "false",
        };

        // Only finalized rows: this year's cycle is not finalized.
        Assert.Equal(HttpStatusCode.BadRequest, (await leader.PostFormAsync(notes, new(note) { ["CycleId"] = ids.LakeshoreCycle.ToString() })).StatusCode);
        // A building team member does not write for the district (a district team member proposes: see the next test).
        var building = await factory.SignedInAsync("building1@example.org");
        Assert.Equal(HttpStatusCode.Forbidden, (await building.PostUnofferedAsync(notes, note, "/account/security")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync(notes, note)).StatusCode);
        var stored = await factory.WithDbAsync(db => db.PracticeNotes.SingleAsync(n => n.DistrictId == ids.Lakeshore && n.Text.StartsWith("LAKENOTE")));
        Assert.Equal(2, stored.Level); // Lakeshore's finalized consensus on goal-setting last year
        var page = await pine.GetHtmlAsync($"/networks/{networkId}");
        Assert.Contains("LAKENOTE: a shared goal calendar", page);
        Assert.Contains("Lakeshore Public Schools", page);

        // Edited to anonymous: the name goes, the text changes.
        var edit = $"{notes}/{stored.Id}/edit";
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync(edit, new()
        {
            ["Text"] = "LAKENOTE: a shared goal calendar, revisited monthly.", ["ContactRole"] = "", ["IsAnonymous"] = "true", ["Version"] = stored.Version.ToString(),
        })).StatusCode);
        page = await pine.GetHtmlAsync($"/networks/{networkId}");
        Assert.Contains("revisited monthly", page);
        Assert.DoesNotContain("Lakeshore", page);

        // Withdrawn: gone everywhere at once (page and PDF).
        Assert.Equal(HttpStatusCode.BadRequest, (await leader.PostFormAsync($"{notes}/{stored.Id}/withdraw", new() { ["Confirm"] = "false" }, formPage: notes)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync($"{notes}/{stored.Id}/withdraw", new() { ["Confirm"] = "true" }, formPage: notes)).StatusCode);
        Assert.DoesNotContain("LAKENOTE", await pine.GetHtmlAsync($"/networks/{networkId}"));
        using (var pdf = new PdfText(await (await pine.GetAsync($"/networks/{networkId}.pdf")).Content.ReadAsByteArrayAsync()))
            Assert.DoesNotContain("LAKENOTE", pdf.All);
        Assert.Equal(HttpStatusCode.NotFound, (await leader.GetAsync(edit)).StatusCode);

        var audit = await factory.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityType == nameof(PracticeNote) && a.EntityId == stored.Id.ToString())
            .Select(a => new { a.Action, a.Field, a.DistrictId }).ToListAsync());
        Assert.Contains(audit, a => a.Action == AuditAction.Create && a.Field == nameof(PracticeNote.Text));
        Assert.Contains(audit, a => a.Action == AuditAction.Update && a.Field == nameof(PracticeNote.IsAnonymous));
        Assert.Contains(audit, a => a.Action == AuditAction.Update && a.Field == nameof(PracticeNote.WithdrawnAt));
        Assert.All(audit, a => Assert.Equal(ids.Lakeshore, a.DistrictId));
    }

    [Fact]
    public async Task A_team_member_proposes_a_note_that_reaches_the_network_only_when_the_key_leader_publishes_it()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var networkId = await DemoNetworkAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var member = await factory.SignedInAsync("member@example.org");
        var pine = await factory.SignedInAsync("pineridge@example.org");
        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var notes = $"/districts/{ids.Lakeshore}/practice-notes";
        var note = new Dictionary<string, string>
        {
            ["CycleId"] = ids.LakeshoreLastCycle.ToString(), ["RowKey"] = "plans", ["Text"] = "PROPOSED-NOTE: building plans that name one district strategy.",
            ["ContactRole"] = "", ["IsAnonymous"] = "true",
        };

        Assert.Contains("Propose to the key leader", await member.GetHtmlAsync(notes));
        // The facilitator reads the district's notes but neither proposes nor publishes for it.
        Assert.Equal(HttpStatusCode.Forbidden, (await facilitator.PostUnofferedAsync(notes, note, notes)).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await member.PostFormAsync(notes, note, formPage: notes)).StatusCode);
        var stored = await factory.WithDbAsync(db => db.PracticeNotes.SingleAsync(n => n.DistrictId == ids.Lakeshore && n.Text.StartsWith("PROPOSED-NOTE")));
        Assert.True(stored.IsProposal);
        // A proposal stays inside the district: not on the network page nor its PDF.
        Assert.DoesNotContain("PROPOSED-NOTE", await pine.GetHtmlAsync($"/networks/{networkId}"));
        using (var pdf = new PdfText(await (await pine.GetAsync($"/networks/{networkId}.pdf")).Content.ReadAsByteArrayAsync()))
            Assert.DoesNotContain("PROPOSED-NOTE", pdf.All);
        Assert.Contains("proposed, waiting for the key leader", await leader.GetHtmlAsync(notes));

        // The proposer edits their own proposal; only the key leader publishes.
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostFormAsync($"{notes}/{stored.Id}/edit", new()
        {
            ["Text"] = "PROPOSED-NOTE: building plans that name one district strategy, reviewed each fall.", ["ContactRole"] = "", ["IsAnonymous"] = "true",
            ["Version"] = stored.Version.ToString(),
        }, formPage: $"{notes}/{stored.Id}/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostUnofferedAsync($"{notes}/{stored.Id}/publish", new(), notes)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await facilitator.PostUnofferedAsync($"{notes}/{stored.Id}/publish", new(), notes)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync($"{notes}/{stored.Id}/publish", new(), formPage: notes)).StatusCode);
        var page = await pine.GetHtmlAsync($"/networks/{networkId}");
        Assert.Contains("reviewed each fall", page);
        Assert.DoesNotContain("Lakeshore", page); // anonymous, as proposed
        // Published twice is not found: the proposal is gone.
        Assert.Equal(HttpStatusCode.NotFound, (await leader.PostUnofferedAsync($"{notes}/{stored.Id}/publish", new(), notes)).StatusCode);

        // Once published, the note speaks for the district: the proposer no longer edits or withdraws it; the key leader does.
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync($"{notes}/{stored.Id}/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostUnofferedAsync($"{notes}/{stored.Id}/withdraw", new() { ["Confirm"] = "true" }, notes)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFormAsync($"{notes}/{stored.Id}/withdraw", new() { ["Confirm"] = "true" }, formPage: notes)).StatusCode);
        Assert.DoesNotContain("PROPOSED-NOTE", await pine.GetHtmlAsync($"/networks/{networkId}"));

        // A second proposal the member withdraws themselves never reaches the network.
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostFormAsync(notes, new(note) { ["Text"] = "PROPOSED-TWO: second thoughts." }, formPage: notes)).StatusCode);
        var second = await factory.WithDbAsync(db => db.PracticeNotes.SingleAsync(n => n.Text.StartsWith("PROPOSED-TWO")));
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostFormAsync($"{notes}/{second.Id}/withdraw", new() { ["Confirm"] = "true" }, formPage: notes)).StatusCode);
        Assert.NotNull(await factory.WithDbAsync(db => db.PracticeNotes.Where(n => n.Id == second.Id).Select(n => n.WithdrawnAt).SingleAsync()));

        var audit = await factory.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityType == nameof(PracticeNote) && a.EntityId == stored.Id.ToString())
            .Select(a => new { a.Action, a.Field, a.OldValue, a.NewValue, a.DistrictId }).ToListAsync());
        Assert.Contains(audit, a => a.Action == AuditAction.Create && a.Field == nameof(PracticeNote.IsProposal));
        Assert.Contains(audit, a => a.Action == AuditAction.Update && a.Field == nameof(PracticeNote.Text));
        Assert.Contains(audit, a => a.Action == AuditAction.Update && a.Field == nameof(PracticeNote.IsProposal) && a.NewValue == "False");
        Assert.Contains(audit, a => a.Action == AuditAction.Update && a.Field == nameof(PracticeNote.WithdrawnAt));
        Assert.All(audit, a => Assert.Equal(ids.Lakeshore, a.DistrictId));
    }

    [Fact]
    public async Task Network_pages_and_pdfs_never_show_private_text_of_any_district_only_shared_notes()
    {
        const string Marker = "NETMARK";
        var networkId = await DemoNetworkAsync();
        var ids = await DemoIds.LoadAsync(factory);
        var toolkit = factory.Services.GetRequiredService<ToolkitCatalog>().Default;
        // Markers in the evidence and rationale of sharing districts, and in every kind of record of a district on the
        // network that does not share (Pine Ridge) and of one that is not on it at all.
        await factory.WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var outsider = new District { Name = $"{Marker} Outside District", Code = "08888", SharesWithNetworks = true, CreatedAt = now };
            db.Districts.Add(outsider);
            await db.SaveChangesAsync();
            var outsiderCycle = new Cycle { DistrictId = outsider.Id, StartYear = CurrentYear, ToolkitKey = toolkit.Key, ToolkitVersion = toolkit.Version, CreatedAt = now, RubricFinalizedAt = now };
            var pineFinal = new Cycle { DistrictId = ids.PineRidge, StartYear = CurrentYear - 1, ToolkitKey = toolkit.Key, ToolkitVersion = toolkit.Version, CreatedAt = now, RubricFinalizedAt = now };
            db.Cycles.AddRange(outsiderCycle, pineFinal);
            await db.SaveChangesAsync();
            foreach (var cycle in new[] { outsiderCycle, pineFinal })
            {
                foreach (var row in toolkit.Rubric.Rows)
                    db.ConsensusRatings.Add(new ConsensusRating { DistrictId = cycle.DistrictId, CycleId = cycle.Id, RowKey = row.Key, Level = 4, Rationale = $"{Marker}-rationale", RecordedByUserId = "", RecordedAt = now });
                db.PracticeNotes.Add(new PracticeNote { DistrictId = cycle.DistrictId, CycleId = cycle.Id, RowKey = "vision", Level = 4, Text = $"{Marker}-unshared note", CreatedByUserId = "", CreatedAt = now, UpdatedAt = now });
                db.ActionItems.Add(new ActionItem { DistrictId = cycle.DistrictId, CycleId = cycle.Id, Title = $"{Marker}-action", CreatedByUserId = "", CreatedAt = now });
            }
            db.PracticeNotes.Add(new PracticeNote { DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreLastCycle, RowKey = "vision", Level = 1, Text = $"{Marker}-withdrawn note", CreatedByUserId = "", CreatedAt = now, UpdatedAt = now, WithdrawnAt = now });
            // A team member's proposal the key leader has not published yet stays inside the district.
            db.PracticeNotes.Add(new PracticeNote { DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreLastCycle, RowKey = "plans", Level = 2, Text = $"{Marker}-proposed note", IsProposal = true, CreatedByUserId = "", CreatedAt = now, UpdatedAt = now });
            db.PracticeNotes.Add(new PracticeNote { DistrictId = ids.Lakeshore, CycleId = ids.LakeshoreLastCycle, RowKey = "plans", Level = 2, Text = "SHAREDNOTE for the network", IsAnonymous = true, CreatedByUserId = "", CreatedAt = now, UpdatedAt = now });
            // Sharing districts' private text: rationale of every finalized consensus, and evidence of every rating.
            var sharing = await db.NetworkMemberships.Where(m => m.NetworkId == networkId).Select(m => m.DistrictId)
                .Where(id => db.Districts.Any(d => d.Id == id && d.SharesWithNetworks)).ToListAsync();
            foreach (var consensus in await db.ConsensusRatings.Where(c => sharing.Contains(c.DistrictId)).ToListAsync())
                consensus.Rationale = $"{Marker}-shared-rationale";
            foreach (var rating in await db.RubricRatings.Where(r => sharing.Contains(r.DistrictId)).ToListAsync())
                rating.Evidence = $"{Marker}-evidence";
            await db.SaveChangesAsync();
        });

        string[] viewers = ["member@example.org", "leader@example.org", "pineridge@example.org", "facilitator@example.org", "admin@example.org"];
        string[] urls = [$"/networks/{networkId}", $"/networks/{networkId}?row=vision", $"/networks/{networkId}?row=plans&level=2", $"/networks/{networkId}.pdf", "/networks"];
        var sharedSeen = 0;
        foreach (var email in viewers)
        {
            var client = await factory.SignedInAsync(email);
            foreach (var url in urls)
            {
                var response = await client.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var bytes = await response.Content.ReadAsByteArrayAsync();
                var text = response.Content.Headers.ContentType?.MediaType == "application/pdf"
                    ? new PdfText(bytes).All
                    : WebUtility.HtmlDecode(System.Text.Encoding.UTF8.GetString(bytes));
                Assert.False(text.Contains(Marker, StringComparison.OrdinalIgnoreCase), $"{email} GET {url} shows private text");
                if (text.Contains("SHAREDNOTE", StringComparison.Ordinal)) sharedSeen++;
            }
        }
        // The shared note is on every network page and PDF for every viewer (page, the plans filter, the PDF).
        Assert.Equal(viewers.Length * 3, sharedSeen);
    }

    [Fact]
    public async Task People_outside_the_network_get_404_and_a_coordinator_without_districts_reads_it()
    {
        var networkId = await DemoNetworkAsync();
        await Personas.CreateFacilitatorAsync(factory, "network.coordinator@example.org");
        await Personas.CreateFacilitatorAsync(factory, "outside.member@example.org");
        await factory.WithDbAsync(async db =>
        {
            var coordinator = await db.Users.SingleAsync(u => u.Email == "network.coordinator@example.org");
            var network = await db.Networks.SingleAsync(n => n.Id == networkId);
            network.CoordinatorUserId = coordinator.Id;
            var outsider = await db.Users.SingleAsync(u => u.Email == "outside.member@example.org");
            var district = new District { Name = "Outside Schools", Code = "08889", CreatedAt = DateTimeOffset.UtcNow };
            db.Districts.Add(district);
            await db.SaveChangesAsync();
            db.TeamMemberships.Add(new TeamMembership { DistrictId = district.Id, UserId = outsider.Id, Role = TeamRole.KeyLeader, JoinedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var coordinatorClient = await factory.SignedInAsync("network.coordinator@example.org");
        Assert.Equal(HttpStatusCode.OK, (await coordinatorClient.GetAsync($"/networks/{networkId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinatorClient.GetAsync($"/networks/{networkId}/edit")).StatusCode);
        var outside = await factory.SignedInAsync("outside.member@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await outside.GetAsync($"/networks/{networkId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outside.GetAsync($"/networks/{networkId}.pdf")).StatusCode);
        Assert.DoesNotContain(DemoNetworkData.NetworkName, await outside.GetHtmlAsync("/networks"));
        Assert.Equal(HttpStatusCode.NotFound, (await outside.GetAsync("/networks/999999")).StatusCode);
        // Restore the demo's coordinator for the other tests of this class.
        await factory.WithDbAsync(async db =>
        {
            var network = await db.Networks.SingleAsync(n => n.Id == networkId);
            network.CoordinatorUserId = await db.Users.Where(u => u.Email == "facilitator@example.org").Select(u => u.Id).SingleAsync();
            await db.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task An_administrator_creates_a_network_adds_a_district_and_the_desk_and_network_print_as_pdf()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var admin = await factory.SignedInAsync("admin@example.org");
        var created = await admin.PostFormAsync("/networks/new", new() { ["Name"] = "Thumb Area Network", ["Description"] = "Meets in the fall.", ["CoordinatorUserId"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var networkId = await factory.WithDbAsync(db => db.Networks.Where(n => n.Name == "Thumb Area Network").Select(n => n.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostFormAsync("/networks/new", new() { ["Name"] = "Thumb Area Network" })).StatusCode); // name taken
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"/networks/{networkId}/districts", new() { ["DistrictId"] = ids.PineRidge.ToString() }, formPage: $"/networks/{networkId}/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostFormAsync($"/networks/{networkId}/districts", new() { ["DistrictId"] = ids.PineRidge.ToString() }, formPage: $"/networks/{networkId}/edit")).StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityType == nameof(NetworkMembership) && a.DistrictId == ids.PineRidge)));

        // Pine Ridge's key leader now reads it: one district, nothing shown (fewer than 3).
        var pine = await factory.SignedInAsync("pineridge@example.org");
        var html = await pine.GetHtmlAsync($"/networks/{networkId}");
        Assert.All(Figures(html).Values, f => Assert.False(f.Shown));

        var facilitator = await factory.SignedInAsync("facilitator@example.org");
        var deskPdf = await facilitator.GetAsync("/desk.pdf");
        Assert.Equal("application/pdf", deskPdf.Content.Headers.ContentType?.MediaType);
        using (var pdf = new PdfText(await deskPdf.Content.ReadAsByteArrayAsync()))
        {
            Assert.Contains("LakeshorePublicSchools", pdf.All);
            Assert.Contains("Reviewqueue", pdf.All);
        }
        var networkPdf = await pine.GetAsync($"/networks/{await DemoNetworkAsync()}.pdf");
        using (var pdf = new PdfText(await networkPdf.Content.ReadAsByteArrayAsync()))
        {
            Assert.Contains("GreatLakesCollaborationNetwork", pdf.All);
            Assert.Contains("Collaborativeroutines", pdf.All);
            // The printed table says what is true of each withheld level, as the page does.
            Assert.Contains("fewerthan3", pdf.All);
            Assert.Contains("whosecountcouldotherwisebeworkedoutfromthetotal", pdf.All);
            Assert.True(pdf.IsTagged);
        }
    }
}
