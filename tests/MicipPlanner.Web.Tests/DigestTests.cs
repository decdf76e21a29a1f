using System.Data.Common;
using System.Net;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Digest;
using MicipPlanner.Web.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MicipPlanner.Web.Tests;

/// <summary>
/// The daily reminder digest: once per person, district and day even with two instances on one database, only the
/// person's own district's items, an in-app notice beside the e-mail, the opt-out, and a failed send retried later.
/// </summary>
public sealed class DigestTests(MailingWebFactory factory) : IClassFixture<MailingWebFactory>
{
    // 15:00 UTC on 10 March 2027 is 10:00 in Michigan: past the default send hour (06:00).
    private static readonly DateTimeOffset Now = new(2027, 3, 10, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2027, 3, 10);

    /// <summary>Two districts with their own people and activities, named so a test can tell whose is whose.</summary>
    private sealed record Scene(string Tag, int DistrictA, int DistrictB, string Owner, string TwoDistricts, string OptedOut, string Leaver)
    {
        public string Email(string who) => $"{who}-{Tag}@example.org";
    }

    private static async Task<Scene> ArrangeAsync(AppDbContext db)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var a = await Build.District(db).Named($"Digest A {tag}").WithCycle(2026).SaveAsync();
        var b = await Build.District(db).Named($"Digest B {tag}").WithCycle(2026).SaveAsync();
        var cycleA = await db.Cycles.Where(c => c.DistrictId == a.Id).Select(c => c.Id).SingleAsync();
        var cycleB = await db.Cycles.Where(c => c.DistrictId == b.Id).Select(c => c.Id).SingleAsync();

        async Task<string> PersonAsync(string who, bool digestOff = false, params int[] districts)
        {
            var email = $"{who}-{tag}@example.org";
            var user = new AppUser
            {
                UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = true, DisplayName = who, CreatedAt = Now, DailyDigestOff = digestOff,
            };
            db.Users.Add(user);
            foreach (var district in districts)
                db.TeamMemberships.Add(new TeamMembership { DistrictId = district, UserId = user.Id, Role = TeamRole.SystemsRepresentative, JoinedAt = Now });
            await db.SaveChangesAsync();
            return user.Id;
        }
        var owner = await PersonAsync("owner", false, a.Id);
        var both = await PersonAsync("both", false, a.Id, b.Id);
        var optedOut = await PersonAsync("optedout", true, a.Id);
        // Named as an activity's owner, but no longer on the district's team.
        var leaver = await PersonAsync("leaver", false);

        async Task StrategyWithAsync(int districtId, int cycleId, params (string Title, string Owner, int StartIn, int DueIn, int? CheckedInDaysAgo)[] activities)
        {
            var goal = new PlanGoal { DistrictId = districtId, CycleId = cycleId, Statement = "Digest goal", CreatedAt = Now };
            db.PlanGoals.Add(goal);
            await db.SaveChangesAsync();
            var strategy = new PlanStrategy { DistrictId = districtId, CycleId = cycleId, GoalId = goal.Id, Title = "Digest strategy", CreatedAt = Now };
            db.PlanStrategies.Add(strategy);
            await db.SaveChangesAsync();
            foreach (var (title, ownerId, startIn, dueIn, checkedIn) in activities)
            {
                var activity = new PlanActivity
                {
                    DistrictId = districtId, CycleId = cycleId, StrategyId = strategy.Id, Title = title, OwnerUserId = ownerId,
                    StartDate = Today.AddDays(startIn), DueDate = Today.AddDays(dueIn), CreatedAt = Now,
                };
                db.PlanActivities.Add(activity);
                await db.SaveChangesAsync();
                if (checkedIn is { } days)
                {
                    db.PlanCheckIns.Add(new PlanCheckIn
                    {
                        DistrictId = districtId, CycleId = cycleId, ActivityId = activity.Id, Date = Today.AddDays(-days),
                        Judgment = TeamJudgment.OnTrack, Note = "Private check-in note", ByUserId = ownerId, CreatedAt = Now,
                    });
                    await db.SaveChangesAsync();
                }
            }
        }
        await StrategyWithAsync(a.Id, cycleA,
            ("A: coaching cycle report", owner, -60, -2, 5),
            ("A: walkthrough tool chosen", owner, -30, 3, 2),
            ("A: family survey drafted", owner, -90, 60, 45),
            ("A: on track and far off", owner, -10, 40, 1),
            ("A: shared item of both", both, -30, 5, 1),
            ("A: opted-out person's item", optedOut, -60, -1, 2),
            ("A: leaver's item", leaver, -60, -1, 2));
        await StrategyWithAsync(b.Id, cycleB,
            ("B: only for district B", both, -60, -4, 3));
        return new Scene(tag, a.Id, b.Id, owner, both, optedOut, leaver);
    }

    private static async Task<DigestRunResult> RunAsync(MicipWebFactory server, DateTimeOffset now)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<DigestRun>().RunAsync(now);
    }

    private static List<(string To, string Subject, string Body)> MailTo(MicipWebFactory server, string email)
    {
        lock (server.Mail.Sent) return server.Mail.Sent.Where(m => m.To == email).ToList();
    }

    [Fact]
    public async Task Two_instances_on_one_database_send_each_digest_exactly_once()
    {
        // Two app instances on one database, as two servers behind a load balancer share one.
        var shared = Path.Combine(Path.GetTempPath(), "micip-tests", "digest-" + Guid.NewGuid().ToString("N"));
        var postgres = PostgresTestDatabases.Enabled ? PostgresTestDatabases.CreateDatabase() : null;
        var settings = new Dictionary<string, string?> { ["Database:DataFolder"] = shared };
        if (postgres is not null) settings["ConnectionStrings:PostgreSQL"] = postgres;
        var first = MicipWebFactory.With(new MicipWebOptions { CaptureMail = true, Settings = settings });
        var second = MicipWebFactory.With(new MicipWebOptions { CaptureMail = true, SeedDemo = false, Settings = settings });
        try
        {
            var scene = await first.WithDbAsync(ArrangeAsync);
            _ = second.Services; // the second instance starts on the database the first made

            // Both instances run the day's digest at the same moment, several times over.
            var runs = Enumerable.Range(0, 3).SelectMany(_ => new[] { RunAsync(first, Now), RunAsync(second, Now) }).ToList();
            var results = await Task.WhenAll(runs);

            List<(string To, string Subject, string Body)> MailOf(string who) => [.. MailTo(first, scene.Email(who)), .. MailTo(second, scene.Email(who))];
            Assert.Single(MailOf("owner"));
            Assert.Equal(2, MailOf("both").Count); // one per district they are on
            Assert.Empty(MailOf("optedout"));
            Assert.Empty(MailOf("leaver"));
            var claims = await first.WithDbAsync(db => db.DigestClaims.Where(c => c.DistrictId == scene.DistrictA || c.DistrictId == scene.DistrictB).ToListAsync());
            Assert.Equal(3, claims.Count);
            Assert.All(claims, c => Assert.Equal((DigestClaimState.Sent, 1, Today), (c.State, c.Attempts, c.Date)));
            Assert.Equal(1, await first.WithDbAsync(db => db.Notifications.CountAsync(n => n.UserId == scene.Owner)));
            // Over all districts (the demo's too): every claim was sent by exactly one run, and every e-mail has its claim.
            var sentClaims = await first.WithDbAsync(db => db.DigestClaims.CountAsync(c => c.State == DigestClaimState.Sent));
            Assert.Equal(sentClaims, results.Sum(r => r.Sent));
            Assert.Equal(sentClaims, first.Mail.Sent.Count + second.Mail.Sent.Count);
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (postgres is not null) PostgresTestDatabases.DropDatabase(postgres);
            try { Directory.Delete(shared, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Holds the first look at the claims table, once it has answered, until the test lets it go on.</summary>
    private sealed class HoldAfterFirstClaimLook : DbCommandInterceptor
    {
        private int _held;
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
            CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("FROM \"DigestClaims\"", StringComparison.Ordinal) && Interlocked.Exchange(ref _held, 1) == 0)
            {
                Reached.SetResult();
                await Release.Task;
            }
            return result;
        }
    }

    [Fact]
    public async Task An_instance_that_finds_no_claim_but_loses_the_insert_sends_nothing()
    {
        // The race the unique key decides: instance one looks and finds no claim; before it inserts, instance two claims
        // and sends everything; instance one's insert is then refused, and it must not send.
        var shared = Path.Combine(Path.GetTempPath(), "micip-tests", "digest-" + Guid.NewGuid().ToString("N"));
        var postgres = PostgresTestDatabases.Enabled ? PostgresTestDatabases.CreateDatabase() : null;
        var settings = new Dictionary<string, string?> { ["Database:DataFolder"] = shared };
        if (postgres is not null) settings["ConnectionStrings:PostgreSQL"] = postgres;
        var hold = new HoldAfterFirstClaimLook();
        var firstBase = MicipWebFactory.With(new MicipWebOptions { CaptureMail = true, SeedDemo = false, Settings = settings });
        var first = firstBase.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.ConfigureDbContext<AppDbContext>((_, options) => options.AddInterceptors(hold))));
        var second = MicipWebFactory.With(new MicipWebOptions { CaptureMail = true, SeedDemo = false, Settings = settings });
        try
        {
            Scene scene;
            await using (var scope = first.Services.CreateAsyncScope())
                scene = await ArrangeAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>());

            DigestRunResult firstResult;
            await using (var scope = first.Services.CreateAsyncScope())
            {
                var firstRun = scope.ServiceProvider.GetRequiredService<DigestRun>().RunAsync(Now);
                await hold.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
                var secondResult = await RunAsync(second, Now);
                Assert.Equal(3, secondResult.Sent);
                hold.Release.SetResult();
                firstResult = await firstRun;
            }

            Assert.Equal(0, firstResult.Sent + firstResult.Failed + firstResult.NoticeOnly);
            Assert.Equal(3, firstResult.ClaimedElsewhere);
            Assert.Empty(firstBase.Mail.Sent);
            Assert.Single(MailTo(second, scene.Email("owner")));
            Assert.Equal(2, MailTo(second, scene.Email("both")).Count);
            Assert.Equal(1, await second.WithDbAsync(db => db.Notifications.CountAsync(n => n.UserId == scene.Owner)));
        }
        finally
        {
            hold.Release.TrySetResult();
            await first.DisposeAsync();
            await firstBase.DisposeAsync();
            await second.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (postgres is not null) PostgresTestDatabases.DropDatabase(postgres);
            try { Directory.Delete(shared, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [Fact]
    public async Task A_digest_lists_only_the_persons_own_items_of_one_district_with_links_and_an_in_app_notice()
    {
        var scene = await factory.WithDbAsync(ArrangeAsync);
        await RunAsync(factory, Now);

        var owner = Assert.Single(MailTo(factory, scene.Email("owner")));
        Assert.Contains($"Digest A {scene.Tag}", owner.Subject);
        var body = owner.Body;
        Assert.Contains("Overdue\n- A: coaching cycle report (due 8 March 2027)", body);
        Assert.Contains("Due within 7 days\n- A: walkthrough tool chosen (due 13 March 2027)", body);
        Assert.Contains("No check-in for more than 30 days\n- A: family survey drafted", body);
        Assert.DoesNotContain("on track and far off", body);
        Assert.DoesNotContain("Private check-in note", body);
        // Nothing of anyone else's, nor of the other district.
        Assert.DoesNotContain("shared item of both", body);
        Assert.DoesNotContain("B:", body);
        Assert.DoesNotContain($"Digest B {scene.Tag}", body);
        var activityId = await factory.WithDbAsync(db => db.PlanActivities.Where(a => a.Title == "A: coaching cycle report" && a.DistrictId == scene.DistrictA).Select(a => new { a.Id, a.CycleId }).SingleAsync());
        Assert.Contains($"http://localhost/districts/{scene.DistrictA}/cycles/{activityId.CycleId}/plan#activity-{activityId.Id}", body);
        Assert.Contains("http://localhost/notifications", body);

        // The person on two districts' teams gets two digests, each of its own district only.
        var twoDigests = MailTo(factory, scene.Email("both"));
        Assert.Equal(2, twoDigests.Count);
        var ofA = Assert.Single(twoDigests, m => m.Subject.Contains($"Digest A {scene.Tag}"));
        var ofB = Assert.Single(twoDigests, m => m.Subject.Contains($"Digest B {scene.Tag}"));
        Assert.Contains("A: shared item of both", ofA.Body);
        Assert.DoesNotContain("B: only for district B", ofA.Body);
        Assert.DoesNotContain($"Digest B {scene.Tag}", ofA.Body);
        Assert.Contains("B: only for district B", ofB.Body);
        Assert.DoesNotContain("A: shared item of both", ofB.Body);
        Assert.DoesNotContain($"Digest A {scene.Tag}", ofB.Body);
        Assert.DoesNotContain($"/districts/{scene.DistrictA}/", ofB.Body);

        // The opted-out person and the one who left the district get nothing, not even a notice.
        Assert.Empty(MailTo(factory, scene.Email("optedout")));
        Assert.Empty(MailTo(factory, scene.Email("leaver")));
        var notices = await factory.WithDbAsync(db => db.Notifications
            .Where(n => n.UserId == scene.Owner || n.UserId == scene.OptedOut || n.UserId == scene.Leaver || n.UserId == scene.TwoDistricts)
            .Select(n => new { n.UserId, n.DistrictId, n.Text, n.Link }).ToListAsync());
        var ownerNotice = Assert.Single(notices, n => n.UserId == scene.Owner);
        Assert.Equal(scene.DistrictA, ownerNotice.DistrictId);
        Assert.Contains("1 overdue", ownerNotice.Text);
        Assert.Equal($"/districts/{scene.DistrictA}/cycles/{activityId.CycleId}/plan#activity-{activityId.Id}", ownerNotice.Link);
        Assert.Equal(2, notices.Count(n => n.UserId == scene.TwoDistricts));
        Assert.DoesNotContain(notices, n => n.UserId == scene.OptedOut || n.UserId == scene.Leaver);

        // Later the same day nothing more goes out; the next day's digest does.
        await RunAsync(factory, Now.AddHours(5));
        Assert.Single(MailTo(factory, scene.Email("owner")));
        await RunAsync(factory, Now.AddDays(1));
        Assert.Equal(2, MailTo(factory, scene.Email("owner")).Count);
    }

    [Fact]
    public async Task A_building_team_is_reminded_of_its_monitoring_report_until_it_is_submitted()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (district, cycle, owing, done, period) = await factory.WithDbAsync(async db =>
        {
            var d = await Build.District(db).Named($"Reports {tag}").WithBuilding("Owing Elementary").WithBuilding("Done Middle").WithCycle(2026).SaveAsync();
            var cycleId = await db.Cycles.Where(c => c.DistrictId == d.Id).Select(c => c.Id).SingleAsync();
            var buildings = await db.Buildings.Where(b => b.DistrictId == d.Id).ToDictionaryAsync(b => b.Name, b => b.Id);
            var people = new Dictionary<string, string>();
            foreach (var (who, building) in new[] { ("owing", "Owing Elementary"), ("done", "Done Middle") })
            {
                var email = $"{who}-{tag}@example.org";
                var user = new AppUser { UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(), EmailConfirmed = true, DisplayName = who, CreatedAt = Now };
                db.Users.Add(user);
                db.TeamMemberships.Add(new TeamMembership { DistrictId = d.Id, BuildingId = buildings[building], UserId = user.Id, Role = TeamRole.BuildingLeader, JoinedAt = Now });
                people[who] = user.Id;
            }
            var fall = new MonitoringPeriod { DistrictId = d.Id, CycleId = cycleId, Name = "Winter", DueDate = Today.AddDays(3), CreatedByUserId = people["owing"], CreatedAt = Now };
            var spring = new MonitoringPeriod { DistrictId = d.Id, CycleId = cycleId, Name = "Spring", DueDate = Today.AddDays(60), CreatedByUserId = people["owing"], CreatedAt = Now };
            db.MonitoringPeriods.AddRange(fall, spring);
            await db.SaveChangesAsync();
            db.BuildingReports.Add(new BuildingReport
            {
                DistrictId = d.Id, CycleId = cycleId, PeriodId = fall.Id, BuildingId = buildings["Done Middle"], State = Domain.Balance.TemplateState.Submitted,
                CreatedAt = Now, UpdatedAt = Now, SubmittedAt = Now,
            });
            await db.SaveChangesAsync();
            return (d.Id, cycleId, buildings["Owing Elementary"], people["done"], fall.Id);
        });

        await RunAsync(factory, Now);

        var mail = Assert.Single(MailTo(factory, $"owing-{tag}@example.org"));
        Assert.Contains("Building reports due\n- Winter monitoring report of Owing Elementary (due 13 March 2027)", mail.Body);
        Assert.Contains($"/districts/{district}/cycles/{cycle}/reports/periods/{period}/buildings/{owing}", mail.Body);
        Assert.DoesNotContain("Spring", mail.Body); // not due for weeks
        // The building that submitted is not reminded.
        Assert.Empty(MailTo(factory, $"done-{tag}@example.org"));
    }

    [Fact]
    public async Task Before_the_districts_send_hour_nothing_goes_out()
    {
        var scene = await factory.WithDbAsync(ArrangeAsync);
        // 10:30 UTC is 05:30 in Michigan.
        var result = await RunAsync(factory, new DateTimeOffset(2027, 3, 10, 10, 30, 0, TimeSpan.Zero));
        Assert.Empty(MailTo(factory, scene.Email("owner")));
        Assert.False(await factory.WithDbAsync(db => db.DigestClaims.AnyAsync(c => c.UserId == scene.Owner)));
        Assert.Equal(0, result.Sent);
    }

    [Fact]
    public async Task A_failed_send_is_retried_later_the_same_day_up_to_the_limit_with_one_notice()
    {
        var failing = MicipWebFactory.With(new MicipWebOptions { CaptureMail = true, SeedDemo = false });
        await using (failing)
        {
            var scene = await failing.WithDbAsync(ArrangeAsync);
            failing.Mail.Fail = true;
            await RunAsync(failing, Now);
            var claim = await failing.WithDbAsync(db => db.DigestClaims.SingleAsync(c => c.UserId == scene.Owner));
            Assert.Equal((DigestClaimState.Failed, 1), (claim.State, claim.Attempts));

            failing.Mail.Fail = false;
            await RunAsync(failing, Now.AddMinutes(15));
            Assert.Single(MailTo(failing, scene.Email("owner")));
            claim = await failing.WithDbAsync(db => db.DigestClaims.SingleAsync(c => c.UserId == scene.Owner));
            Assert.Equal((DigestClaimState.Sent, 2), (claim.State, claim.Attempts));
            Assert.Equal(1, await failing.WithDbAsync(db => db.Notifications.CountAsync(n => n.UserId == scene.Owner)));

            // A digest that keeps failing stops after the last attempt of the day.
            failing.Mail.Fail = true;
            var tomorrow = Now.AddDays(1);
            for (var i = 0; i < DigestRules.MaxAttempts + 2; i++) await RunAsync(failing, tomorrow.AddMinutes(15 * i));
            claim = await failing.WithDbAsync(db => db.DigestClaims.SingleAsync(c => c.UserId == scene.Owner && c.Date == Today.AddDays(1)));
            Assert.Equal((DigestClaimState.Failed, DigestRules.MaxAttempts), (claim.State, claim.Attempts));
        }
    }

    [Fact]
    public async Task A_person_turns_the_digest_off_and_on_again_on_the_notices_page()
    {
        var client = await factory.SignedInAsync("member@example.org");
        var page = Html.Parse(await client.GetHtmlAsync("/notifications"));
        var box = page.QuerySelector("input#DailyDigest[type=checkbox]");
        Assert.NotNull(box);
        Assert.True(box.HasAttribute("checked"), "the digest is on unless the person turns it off");
        Assert.Equal("Send me the daily reminder digest", page.QuerySelector("label[for=DailyDigest]")?.TextContent.Trim());

        var response = await client.PostFormAsync("/notifications/digest", new() { ["DailyDigest"] = "false" }, "/notifications");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "member@example.org").Select(u => u.DailyDigestOff).SingleAsync()));
        page = Html.Parse(await client.GetHtmlAsync("/notifications"));
        Assert.False(page.QuerySelector("input#DailyDigest")!.HasAttribute("checked"));

        await client.PostFormAsync("/notifications/digest", new() { ["DailyDigest"] = "true" }, "/notifications");
        Assert.False(await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "member@example.org").Select(u => u.DailyDigestOff).SingleAsync()));
    }

    [Fact]
    public async Task The_hosted_service_sends_the_digest_on_its_own_clock()
    {
        var clock = new FakeTimeProvider(Now);
        await using var server = MicipWebFactory.With(new MicipWebOptions { CaptureMail = true, SeedDemo = false });
        await using var running = server.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Digest:Enabled", "true");
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock));
        });
        await using (var scope = running.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var scene = await ArrangeAsync(db);
            Assert.Empty(MailTo(server, scene.Email("owner")));

            clock.Advance(DigestService.FirstRunDelay);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (MailTo(server, scene.Email("owner")).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Single(MailTo(server, scene.Email("owner")));

            // The next check the same day sends nothing more.
            clock.Advance(TimeSpan.FromMinutes(15));
            await Task.Delay(500);
            Assert.Single(MailTo(server, scene.Email("owner")));
        }
    }
}
