using System.Data.Common;
using System.Net;
using MicipPlanner.Domain.Balance;
using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Review;
using MicipPlanner.Domain.Rubric;
using MicipPlanner.Domain.Workshops;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Data.Saving;
using MicipPlanner.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MicipPlanner.Web.Tests.DataSafety;

public sealed class AuditTests(MicipWebFactory factory, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<MicipWebFactory>
{
    private sealed class FixedUser(string id) : ICurrentUser { public string? UserId => id; }

    /// <summary>One way to create, change and identify a record of each domain type.</summary>
    private sealed record Sample(Type Type, Func<Ctx, Entity> Create, Action<Ctx, Entity> Change, string ChangedField);

    private sealed record Ctx(int District, int Cycle, int Building, int Group, int Template, string UserId, int Workshop = 0)
    {
        public int Network { get; init; }
        public int Goal { get; init; }
        public int Strategy { get; init; }
        public int Activity { get; init; }
        public int OtherBuilding { get; init; }
        public int Measure { get; init; }
        public int Period { get; init; }
        public int Report { get; init; }
        public int Pdsa { get; init; }
        public int OtherMeasure { get; init; }
    }

    private static Sample S<T>(Func<Ctx, T> create, Action<T> change, string field) where T : Entity =>
        new(typeof(T), c => create(c), (_, e) => change((T)e), field);

    /// <summary>A sample whose change needs the arranged records (e.g. another building to point at).</summary>
    private static Sample S<T>(Func<Ctx, T> create, Action<Ctx, T> change, string field) where T : Entity =>
        new(typeof(T), c => create(c), (c, e) => change(c, (T)e), field);

    private static readonly Sample[] Samples =
    [
        S(c => new District { Name = "Audit District", Code = "77001", Isd = "Audit ISD", CreatedAt = DateTimeOffset.UtcNow }, e => e.Name = "Audit District 2", nameof(District.Name)),
        S(c => new Building { DistrictId = c.District, Name = "Audit School", Code = "77777", Grades = "K-5" }, e => e.Grades = "K-6", nameof(Building.Grades)),
        S(c => new Cycle { DistrictId = c.District, StartYear = 2090, ToolkitKey = "x", ToolkitVersion = 1, CreatedAt = DateTimeOffset.UtcNow }, e => e.StartYear = 2091, nameof(Cycle.StartYear)),
        S(c => new TeamMembership { DistrictId = c.District, UserId = c.UserId, Role = TeamRole.BoardMember, JoinedAt = DateTimeOffset.UtcNow }, e => e.Role = TeamRole.DistrictLeader, nameof(TeamMembership.Role)),
        S(c => new FacilitatorAssignment { DistrictId = c.District, UserId = c.UserId, AssignedAt = DateTimeOffset.UtcNow }, e => e.AssignedAt = e.AssignedAt.AddDays(1), nameof(FacilitatorAssignment.AssignedAt)),
        S(c => new Invitation { DistrictId = c.District, Email = "x@example.org", DisplayName = "X", Role = TeamRole.BoardMember, TokenHash = Guid.NewGuid().ToString("N"), InvitedByUserId = c.UserId }, e => e.DisplayName = "Y", nameof(Invitation.DisplayName)),
        S(c => new RatingGroup { DistrictId = c.District, CycleId = c.Cycle, Name = "Audit group" }, e => e.Name = "Audit group 2", nameof(RatingGroup.Name)),
        S(c => new RatingGroupMember { RatingGroupId = c.Group, UserId = c.UserId }, e => e.UserId = e.UserId + "", nameof(RatingGroupMember.UserId)),
        S(c => new RubricRating { DistrictId = c.District, CycleId = c.Cycle, RatingGroupId = c.Group, RowKey = "audit-row", Level = 1, Evidence = "before", UpdatedByUserId = c.UserId }, e => e.Evidence = "after", nameof(RubricRating.Evidence)),
        S(c => new ConsensusRating { DistrictId = c.District, CycleId = c.Cycle, RowKey = "audit-row", Level = 2, Rationale = "r", RecordedByUserId = c.UserId }, e => e.Level = 3, nameof(ConsensusRating.Level)),
        S(c => new DiscussionNote { DistrictId = c.District, CycleId = c.Cycle, QuestionKey = "audit-q", Text = "t", UpdatedByUserId = c.UserId }, e => e.Text = "t2", nameof(DiscussionNote.Text)),
        S(c => new ConsequenceExample { DistrictId = c.District, CycleId = c.Cycle, ConsequenceKey = "k", Description = "d", CreatedByUserId = c.UserId }, e => e.Description = "d2", nameof(ConsequenceExample.Description)),
        S(c => new OutcomeReflection { DistrictId = c.District, CycleId = c.Cycle, UserId = c.UserId, OutcomeNumber = 1, Why = "w" }, e => e.OutcomeNumber = 2, nameof(OutcomeReflection.OutcomeNumber)),
        S(c => new ActionItem { DistrictId = c.District, CycleId = c.Cycle, Title = "Do it", CreatedByUserId = c.UserId }, e => e.Status = ActionStatus.Done, nameof(ActionItem.Status)),
        S(c => new BalanceTemplate { DistrictId = c.District, CycleId = c.Cycle, BuildingId = c.Building }, e => e.CommonAnswer = "common", nameof(BalanceTemplate.CommonAnswer)),
        S(c => new BalanceTemplateItem { DistrictId = c.District, TemplateId = c.Template, RowNumber = 9, Function = BalanceFunction.District, Owner = "o" }, e => e.Status = FunctionStatus.InPlace, nameof(BalanceTemplateItem.Status)),
        S(c => new TemplateTransition { DistrictId = c.District, TemplateId = c.Template, From = TemplateState.Draft, To = TemplateState.Submitted, UserId = c.UserId }, e => e.Comment = "c", nameof(TemplateTransition.Comment)),
        S(c => new Comment { DistrictId = c.District, CycleId = c.Cycle, TargetType = CommentTarget.RubricRow, TargetKey = "audit-row", Body = "b", AuthorUserId = c.UserId }, e => e.Body = "b2", nameof(Comment.Body)),
        S(c => new Notification { DistrictId = c.District, UserId = c.UserId, Text = "n", Link = "/" }, e => e.ReadAt = DateTimeOffset.UnixEpoch, nameof(Notification.ReadAt)),
        S(c => new Workshop { DistrictId = c.District, CycleId = c.Cycle, Code = WorkshopCodes.New(), IncludesActivity2 = true, ExpiresAt = DateTimeOffset.UtcNow.AddHours(8) },
            e => e.Step = WorkshopStep.Activity2, nameof(Workshop.Step)),
        S(c => new WorkshopGroup { DistrictId = c.District, WorkshopId = c.Workshop, RatingGroupId = c.Group },
            e => e.Position = 1, nameof(WorkshopGroup.Position)),
        S(c => new WorkshopParticipant { DistrictId = c.District, WorkshopId = c.Workshop, UserId = c.UserId, DisplayName = "Audit participant" },
            e => e.RemovedAt = DateTimeOffset.UnixEpoch, nameof(WorkshopParticipant.RemovedAt)),
        S(c => new Domain.Networks.Network { Name = "Audit Network", Description = "d" }, e => e.Description = "d2", nameof(Domain.Networks.Network.Description)),
        S(c => new Domain.Plan.CalendarFeed { UserId = c.UserId, TokenHash = Guid.NewGuid().ToString("N"), CreatedAt = DateTimeOffset.UtcNow }, e => e.RevokedAt = DateTimeOffset.UtcNow, nameof(Domain.Plan.CalendarFeed.RevokedAt)),
        S(c => new Domain.Networks.NetworkMembership { NetworkId = c.Network, DistrictId = c.District }, e => e.AddedAt = DateTimeOffset.UnixEpoch, nameof(Domain.Networks.NetworkMembership.AddedAt)),
        S(c => new Domain.Networks.PracticeNote { DistrictId = c.District, CycleId = c.Cycle, RowKey = "audit-row", Level = 2, Text = "t", CreatedByUserId = c.UserId }, e => e.WithdrawnAt = DateTimeOffset.UnixEpoch, nameof(Domain.Networks.PracticeNote.WithdrawnAt)),
        S(c => new Domain.Plan.PlanGoal { DistrictId = c.District, CycleId = c.Cycle, Statement = "Raise reading", CreatedByUserId = c.UserId }, e => e.State = Domain.Plan.GoalState.Maintenance, nameof(Domain.Plan.PlanGoal.State)),
        S(c => new Domain.Plan.PlanStrategy { DistrictId = c.District, CycleId = c.Cycle, GoalId = c.Goal, Title = "Coaching", CreatedByUserId = c.UserId }, e => e.PlannedAmount = 1200m, nameof(Domain.Plan.PlanStrategy.PlannedAmount)),
        S(c => new Domain.Plan.PlanActivity { DistrictId = c.District, CycleId = c.Cycle, StrategyId = c.Strategy, Title = "Train coaches", CreatedByUserId = c.UserId }, e => e.DueDate = new DateOnly(2031, 5, 1), nameof(Domain.Plan.PlanActivity.DueDate)),
        S(c => new Domain.Plan.PlanActivityBuilding { DistrictId = c.District, ActivityId = c.Activity, BuildingId = c.Building }, (c, e) => e.BuildingId = c.OtherBuilding, nameof(Domain.Plan.PlanActivityBuilding.BuildingId)),
        S(c => new Domain.Plan.PlanCheckIn { DistrictId = c.District, CycleId = c.Cycle, ActivityId = c.Activity, Date = new DateOnly(2031, 3, 1), Judgment = Domain.Plan.TeamJudgment.OnTrack, ByUserId = c.UserId }, e => e.Judgment = Domain.Plan.TeamJudgment.AtRisk, nameof(Domain.Plan.PlanCheckIn.Judgment)),
        S(c => new Domain.Plan.PlanMeeting { DistrictId = c.District, CycleId = c.Cycle, HeldOn = new DateOnly(2031, 3, 2), RecordedByUserId = c.UserId }, e => e.HeldOn = new DateOnly(2031, 3, 3), nameof(Domain.Plan.PlanMeeting.HeldOn)),
        S(c => new Domain.Plan.PlanMeasure { DistrictId = c.District, CycleId = c.Cycle, GoalId = c.Goal, Name = "Reading", CreatedByUserId = c.UserId }, e => e.EndTargetValue = 80m, nameof(Domain.Plan.PlanMeasure.EndTargetValue)),
        S(c => new Domain.Plan.PlanMeasureTarget { DistrictId = c.District, CycleId = c.Cycle, MeasureId = c.Measure, Date = new DateOnly(2031, 3, 1), Value = 50m, CreatedByUserId = c.UserId }, e => e.Value = 55m, nameof(Domain.Plan.PlanMeasureTarget.Value)),
        S(c => new Domain.Plan.PlanMeasurePhase { DistrictId = c.District, CycleId = c.Cycle, MeasureId = c.Measure, Date = new DateOnly(2031, 3, 1), Label = "Coaching began", CreatedByUserId = c.UserId }, e => e.Label = "Coaching started", nameof(Domain.Plan.PlanMeasurePhase.Label)),
        S(c => new Domain.Plan.MonitoringPeriod { DistrictId = c.District, CycleId = c.Cycle, Name = "Fall", DueDate = new DateOnly(2031, 10, 1), CreatedByUserId = c.UserId }, e => e.Name = "Autumn", nameof(Domain.Plan.MonitoringPeriod.Name)),
        S(c => new Domain.Plan.ReportedMeasure { DistrictId = c.District, CycleId = c.Cycle, MeasureId = c.Measure }, e => e.CycleId = e.CycleId, nameof(Domain.Plan.ReportedMeasure.MeasureId)),
        S(c => new Domain.Plan.BuildingReport { DistrictId = c.District, CycleId = c.Cycle, PeriodId = c.Period, BuildingId = c.OtherBuilding }, e => e.Recommendations = "More time", nameof(Domain.Plan.BuildingReport.Recommendations)),
        S(c => new Domain.Plan.BuildingReportValue { DistrictId = c.District, ReportId = c.Report, MeasureId = c.Measure, Value = 40m }, e => e.Value = 44m, nameof(Domain.Plan.BuildingReportValue.Value)),
        S(c => new Domain.Plan.PdsaCycle { DistrictId = c.District, CycleId = c.Cycle, ActivityId = c.Activity, ChangeIdea = "Read-aloud", Prediction = "Four of six", CreatedByUserId = c.UserId }, e => e.Stage = Domain.Plan.PdsaStage.Do, nameof(Domain.Plan.PdsaCycle.Stage)),
        S(c => new Domain.Plan.GoalEvaluation { DistrictId = c.District, CycleId = c.Cycle, GoalId = c.Goal, Rationale = "Keep it", UpdatedByUserId = c.UserId }, e => e.Decision = Domain.Plan.EvaluationDecision.Revise, nameof(Domain.Plan.GoalEvaluation.Decision)),
        S(c => new Domain.Plan.PdsaMeasureLink { DistrictId = c.District, PdsaCycleId = c.Pdsa, MeasureId = c.Measure }, (c, e) => e.MeasureId = c.OtherMeasure, nameof(Domain.Plan.PdsaMeasureLink.MeasureId)),
        S(c => new Domain.Plan.BuildingReportActivity { DistrictId = c.District, ReportId = c.Report, ActivityId = c.Activity }, e => e.Judgment = Domain.Plan.TeamJudgment.AtRisk, nameof(Domain.Plan.BuildingReportActivity.Judgment)),
        S(c => new Domain.Plan.BuildingReportTransition { DistrictId = c.District, ReportId = c.Report, From = TemplateState.Draft, To = TemplateState.Submitted, UserId = c.UserId }, e => e.Comment = "c", nameof(Domain.Plan.BuildingReportTransition.Comment)),
        S(c => new Domain.Plan.DigestClaim { DistrictId = c.District, UserId = c.UserId, Date = new DateOnly(2031, 3, 1) }, e => e.State = Domain.Plan.DigestClaimState.Sent, nameof(Domain.Plan.DigestClaim.State)),
        S(c => new Domain.Plan.PlanMeasureValue { DistrictId = c.District, CycleId = c.Cycle, MeasureId = c.Measure, Date = new DateOnly(2031, 3, 1), Value = 48m, RecordedByUserId = c.UserId }, e => e.Note = "Rechecked", nameof(Domain.Plan.PlanMeasureValue.Note)),
    ];

    private async Task<Ctx> ArrangeAsync()
    {
        var ids = await DemoIds.LoadAsync(factory);
        await using var scope = factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var cycle = await Build.Cycle(db, ids.Lakeshore).SaveAsync();
        var group = await db.RatingGroups.Where(g => g.CycleId == cycle.Id).Select(g => g.Id).FirstAsync();
        var template = new BalanceTemplate { DistrictId = ids.Lakeshore, CycleId = cycle.Id, BuildingId = null };
        db.BalanceTemplates.Add(template);
        await db.SaveChangesAsync();
        var admin = await db.Users.Where(u => u.Email == "admin@example.org").Select(u => u.Id).SingleAsync();
        var workshop = new Workshop { DistrictId = ids.Lakeshore, CycleId = cycle.Id, Code = WorkshopCodes.New(), ExpiresAt = DateTimeOffset.UtcNow.AddHours(8) };
        db.Workshops.Add(workshop);
        var network = new Domain.Networks.Network { Name = $"Audit samples network {Guid.NewGuid():N}" };
        db.Networks.Add(network);
        await db.SaveChangesAsync();
        // The plan's records each go under the one before: a goal, a strategy and an activity for the samples to point at.
        var goal = new Domain.Plan.PlanGoal { DistrictId = ids.Lakeshore, CycleId = cycle.Id, Statement = "Audit samples goal" };
        db.PlanGoals.Add(goal);
        await db.SaveChangesAsync();
        var strategy = new Domain.Plan.PlanStrategy { DistrictId = ids.Lakeshore, CycleId = cycle.Id, GoalId = goal.Id, Title = "Audit samples strategy" };
        db.PlanStrategies.Add(strategy);
        await db.SaveChangesAsync();
        var activity = new Domain.Plan.PlanActivity { DistrictId = ids.Lakeshore, CycleId = cycle.Id, StrategyId = strategy.Id, Title = "Audit samples activity" };
        db.PlanActivities.Add(activity);
        await db.SaveChangesAsync();
        var measure = new Domain.Plan.PlanMeasure { DistrictId = ids.Lakeshore, CycleId = cycle.Id, GoalId = goal.Id, Name = "Audit samples measure" };
        db.PlanMeasures.Add(measure);
        await db.SaveChangesAsync();
        // A PDSA cycle on the activity, and a second measure, for its measure links.
        var pdsa = new Domain.Plan.PdsaCycle { DistrictId = ids.Lakeshore, CycleId = cycle.Id, ActivityId = activity.Id, ChangeIdea = "Audit samples change" };
        var otherMeasure = new Domain.Plan.PlanMeasure { DistrictId = ids.Lakeshore, CycleId = cycle.Id, GoalId = goal.Id, Name = "Audit samples second measure" };
        db.PdsaCycles.Add(pdsa);
        db.PlanMeasures.Add(otherMeasure);
        await db.SaveChangesAsync();
        // A monitoring period and a building's report of it, for the report's values, statuses and transitions.
        var period = new Domain.Plan.MonitoringPeriod { DistrictId = ids.Lakeshore, CycleId = cycle.Id, Name = "Audit samples period", DueDate = new DateOnly(2031, 12, 1) };
        db.MonitoringPeriods.Add(period);
        await db.SaveChangesAsync();
        var report = new Domain.Plan.BuildingReport { DistrictId = ids.Lakeshore, CycleId = cycle.Id, PeriodId = period.Id, BuildingId = ids.LakeshoreBuildings[0] };
        db.BuildingReports.Add(report);
        await db.SaveChangesAsync();
        return new Ctx(ids.Lakeshore, cycle.Id, ids.LakeshoreBuildings[0], group, template.Id, admin, workshop.Id)
        {
            Network = network.Id, Goal = goal.Id, Strategy = strategy.Id, Activity = activity.Id, OtherBuilding = ids.LakeshoreBuildings[1], Measure = measure.Id,
            Period = period.Id, Report = report.Id, Pdsa = pdsa.Id, OtherMeasure = otherMeasure.Id,
        };
    }

    private AppDbContext NewContext(AsyncServiceScope scope, string userId, DateTimeOffset now, params IInterceptor[] interceptors)
    {
        // The app's database with the save pipeline told who acts and when (the app's own read the request and clock).
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        DatabaseSetup.ConfigureProvider(builder, scope.ServiceProvider.GetRequiredService<IConfiguration>(),
            scope.ServiceProvider.GetRequiredService<IWebHostEnvironment>().ContentRootPath);
        builder.AddSavePipeline(new FixedUser(userId), new FakeTimeProvider(now));
        if (interceptors.Length > 0) builder.AddInterceptors(interceptors);
        return new AppDbContext(builder.Options);
    }

    [Fact]
    public void Every_domain_record_type_has_an_audit_sample()
    {
        var domainTypes = typeof(Entity).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Entity)) && !t.IsAbstract).ToHashSet();
        Assert.Equal(domainTypes.OrderBy(t => t.Name).Select(t => t.Name), Samples.Select(s => s.Type).OrderBy(t => t.Name).Select(t => t.Name));
    }

    [Fact]
    public async Task Create_update_and_delete_of_every_domain_record_write_who_when_what_field_old_and_new()
    {
        var ctx = await ArrangeAsync();
        var checkedEntries = 0;
        foreach (var sample in Samples)
        {
            var at = new DateTimeOffset(2031, 3, 4, 5, 6, 7, TimeSpan.Zero).AddMinutes(Array.IndexOf(Samples, sample));
            await using var scope = factory.Scope();
            int id;
            int? district;
            await using (var db = NewContext(scope, ctx.UserId, at))
            {
                var entity = sample.Create(ctx);
                db.Add(entity);
                await db.SaveChangesAsync();
                id = entity.Id;
                // A network and a person's calendar feed belong to no district: their entries carry none.
                district = entity is IDistrictOwned o ? o.DistrictId : entity is Domain.Networks.Network or Domain.Plan.CalendarFeed ? null : ctx.District;

                sample.Change(ctx, entity);
                var changedTo = db.Entry(entity).Property(sample.ChangedField).CurrentValue;
                var changedFrom = db.Entry(entity).Property(sample.ChangedField).OriginalValue;
                var expectUpdate = !Equals(changedFrom, changedTo);
                await db.SaveChangesAsync();

                db.Remove(entity);
                await db.SaveChangesAsync();

                var entries = await db.AuditEntries.Where(a => a.EntityType == sample.Type.Name && a.EntityId == id.ToString()).AsNoTracking().ToListAsync();
                var label = $"{sample.Type.Name} #{id}";
                Assert.All(entries, e => Assert.Equal(ctx.UserId, e.UserId));
                Assert.All(entries, e => Assert.Equal(at, e.At));
                Assert.All(entries, e => Assert.Equal(district, e.DistrictId));

                var created = entries.Where(e => e.Action == AuditAction.Create).ToList();
                Assert.True(created.Count > 0, $"{label}: no create entries");
                Assert.All(created, e => { Assert.Null(e.OldValue); Assert.NotNull(e.NewValue); });
                Assert.DoesNotContain(created, e => e.Field is "Id" or "Version");

                var deleted = entries.Where(e => e.Action == AuditAction.Delete).ToList();
                Assert.True(deleted.Count > 0, $"{label}: no delete entries");
                Assert.All(deleted, e => { Assert.NotNull(e.OldValue); Assert.Null(e.NewValue); });

                var updated = entries.Where(e => e.Action == AuditAction.Update).ToList();
                if (expectUpdate)
                {
                    var update = Assert.Single(updated);
                    Assert.Equal(sample.ChangedField, update.Field);
                    Assert.Equal(Text(changedFrom), update.OldValue);
                    Assert.Equal(Text(changedTo), update.NewValue);
                }
                else
                {
                    Assert.Empty(updated); // saving an unchanged value writes nothing
                }
                checkedEntries += entries.Count;
            }
        }
        Assert.True(checkedEntries >= Samples.Length * 3);
        output.WriteLine($"FIGURE audit: {Samples.Length} record types, {checkedEntries} audit entries checked");
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        DateTimeOffset d => d.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Fails the audit insert, as a full disk or a lost connection would.</summary>
    private sealed class FailAuditInsert : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            IsAuditInsert(command) ? throw new InvalidOperationException("audit write failed") : ValueTask.FromResult(result);

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            IsAuditInsert(command) ? throw new InvalidOperationException("audit write failed") : ValueTask.FromResult(result);

        private static bool IsAuditInsert(DbCommand command) => command.CommandText.Contains("INSERT INTO \"AuditEntries\"", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_whose_audit_cannot_be_written_is_not_saved_either()
    {
        var ctx = await ArrangeAsync();
        await using var scope = factory.Scope();
        await using (var db = NewContext(scope, ctx.UserId, DateTimeOffset.UtcNow, new FailAuditInsert()))
        {
            db.Buildings.Add(new Building { DistrictId = ctx.District, Name = "Never saved", Code = "66666", Grades = "K-2" });
            await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync());
        }
        Assert.False(await factory.WithDbAsync(db => db.Buildings.AnyAsync(b => b.Name == "Never saved")));
    }

    /// <summary>Keeps the text of every command a context sends.</summary>
    private sealed class CommandLog : DbCommandInterceptor
    {
        public List<string> Sql { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Sql.Add(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Sql.Add(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }

    [Fact]
    public async Task A_new_record_and_its_new_child_are_audited_with_their_real_keys_in_one_statement_of_the_same_save()
    {
        var ctx = await ArrangeAsync();
        // An hour ago: the audit screen's test, sharing the district, expects its own change to be the newest.
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        var log = new CommandLog();
        RatingGroup group;
        RatingGroupMember member;
        await using (var scope = factory.Scope())
        await using (var db = NewContext(scope, ctx.UserId, at, log))
        {
            // The member points at a group that has no key until the same save inserts it.
            group = new RatingGroup { DistrictId = ctx.District, CycleId = ctx.Cycle, Name = $"Audit keys {Guid.NewGuid():N}", SortOrder = 98 };
            member = new RatingGroupMember { UserId = ctx.UserId };
            group.Members.Add(member);
            db.RatingGroups.Add(group);
            await db.SaveChangesAsync();
        }
        // One save: its audit rows go in with one statement, and nothing is saved a second time around it.
        Assert.Single(log.Sql, sql => sql.Contains("INSERT INTO \"AuditEntries\"", StringComparison.Ordinal));
        Assert.Single(log.Sql, sql => sql.Contains("INSERT INTO \"RatingGroupMembers\"", StringComparison.Ordinal));
        var rows = await factory.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => (a.EntityType == nameof(RatingGroup) && a.EntityId == group.Id.ToString())
                || (a.EntityType == nameof(RatingGroupMember) && a.EntityId == member.Id.ToString())).ToListAsync());
        Assert.All(rows, r => Assert.Equal(ctx.District, r.DistrictId));
        // The member's reference is its group's real key, not the placeholder the context held before the insert.
        Assert.Equal(group.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Assert.Single(rows, r => r.EntityType == nameof(RatingGroupMember) && r.Field == nameof(RatingGroupMember.RatingGroupId)).NewValue);
        Assert.Contains(rows, r => r.EntityType == nameof(RatingGroup) && r.Field == nameof(RatingGroup.Name) && r.NewValue == group.Name);
    }

    [Fact]
    public async Task Rating_group_membership_changes_are_filed_under_the_district()
    {
        var ctx = await ArrangeAsync();
        var leader = await factory.SignedInAsync("leader@example.org");
        var before = await factory.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.EntityType == nameof(RatingGroupMember) && a.DistrictId == ctx.District));
        await using (var scope = factory.Scope())
        await using (var db = NewContext(scope, ctx.UserId, DateTimeOffset.UtcNow))
        {
            db.RatingGroupMembers.Add(new RatingGroupMember { RatingGroupId = ctx.Group, UserId = ctx.UserId });
            await db.SaveChangesAsync();
        }
        var after = await factory.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.EntityType == nameof(RatingGroupMember) && a.DistrictId == ctx.District));
        Assert.True(after > before);
        Assert.Contains("RatingGroupMember", await leader.GetHtmlAsync($"/districts/{ctx.District}/audit?entity=RatingGroupMember"));
    }

    [Fact]
    public async Task Audit_screen_is_for_admins_facilitators_and_key_leaders_only()
    {
        var ids = await DemoIds.LoadAsync(factory);
        var url = $"/districts/{ids.Lakeshore}/audit";
        foreach (var email in new[] { "admin@example.org", "facilitator@example.org", "leader@example.org" })
            Assert.Equal(HttpStatusCode.OK, (await (await factory.SignedInAsync(email)).GetAsync(url)).StatusCode);
        foreach (var email in new[] { "member@example.org", "building1@example.org" })
            Assert.Equal(HttpStatusCode.Forbidden, (await (await factory.SignedInAsync(email)).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await factory.SignedInAsync("pineridge@example.org")).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await factory.CreateBrowserClient().GetAsync(url)).StatusCode);

        // The link is shown to those allowed, and not to others.
        var leader = await factory.SignedInAsync("leader@example.org");
        Assert.Contains(url, Html.Parse(await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}")).Hrefs());
        Assert.Contains(url, Html.Parse(await leader.GetHtmlAsync($"/districts/{ids.Lakeshore}/organisation")).Hrefs());
        var member = await factory.SignedInAsync("member@example.org");
        Assert.DoesNotContain($"href=\"{url}\"", await member.GetHtmlAsync($"/districts/{ids.Lakeshore}/cycles/{ids.LakeshoreCycle}"));
    }

    [Fact]
    public async Task Audit_screen_filters_by_person_entity_and_date_pages_newest_first_and_shows_values_as_text()
    {
        var ctx = await ArrangeAsync();
        var member = await factory.SignedInAsync("member@example.org");
        var leader = await factory.SignedInAsync("leader@example.org");
        var rubric = $"/districts/{ctx.District}/cycles/{ctx.Cycle}/rubric";
        var marker = "<script>alert('audit')</script>";
        var saved = await member.PostFormAsync($"{rubric}/groups/{ctx.Group}/rows/vision", new() { ["Level"] = "2", ["Evidence"] = marker, ["Version"] = "" }, formPage: rubric);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var memberId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "member@example.org").Select(u => u.Id).SingleAsync());

        var url = $"/districts/{ctx.District}/audit";
        var page = await leader.GetHtmlAsync($"{url}?person={memberId}&entity=RubricRating");
        Assert.Contains("&lt;script&gt;alert(", page);
        Assert.DoesNotContain(marker, page);
        Assert.Contains("Morgan Member", page);
        Assert.Contains("Evidence", page);

        // Another person's filter does not show the member's change.
        var adminOnly = await leader.GetHtmlAsync($"{url}?person={ctx.UserId}&entity=RubricRating");
        Assert.DoesNotContain("&lt;script&gt;alert(", adminOnly);

        // Date range in the district's calendar: nothing is dated after tomorrow.
        var tomorrow = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd");
        Assert.Contains("0 changes found", await leader.GetHtmlAsync($"{url}?from={tomorrow}"));
        var today = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd");
        Assert.Contains("&lt;script&gt;alert(", await leader.GetHtmlAsync($"{url}?from={today}&to={tomorrow}&entity=RubricRating"));

        // Paged, newest first: the member's fresh change is on page 1, the seed's oldest entries are not.
        var total = await factory.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.DistrictId == ctx.District));
        Assert.True(total > Features.Audit.AuditController.PageSize);
        var first = await leader.GetHtmlAsync(url);
        Assert.Contains("&lt;script&gt;alert(", first);
        Assert.Contains("Page 1 of", first);
        var second = await leader.GetHtmlAsync($"{url}?page=2");
        Assert.Contains("Page 2 of", second);
        Assert.DoesNotContain("&lt;script&gt;alert(", second);
    }
}
