using MicipPlanner.Domain.Workshops;

namespace MicipPlanner.Domain.Tests;

public sealed class WorkshopRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 14, 0, 0, TimeSpan.Zero);

    private static Workshop NewWorkshop(bool a1 = true, bool a2 = true, bool a3 = true) => new()
    {
        IncludesActivity1 = a1, IncludesActivity2 = a2, IncludesActivity3 = a3, StepOpenedAt = T0, StartedAt = T0, ExpiresAt = T0.AddHours(8),
    };

    [Fact]
    public void Codes_use_only_unambiguous_characters_and_are_normalized_from_what_people_type()
    {
        for (var i = 0; i < 500; i++)
        {
            var code = WorkshopCodes.New();
            Assert.Equal(WorkshopCodes.Length, code.Length);
            Assert.All(code, c => Assert.Contains(c, WorkshopCodes.Alphabet));
        }
        Assert.DoesNotContain(WorkshopCodes.Alphabet, c => "0O1IL2Z5S8BUV".Contains(c));
        Assert.Equal("ACD479", WorkshopCodes.Normalize(" acd-479 "));
        Assert.Null(WorkshopCodes.Normalize("ACD47")); // too short
        Assert.Null(WorkshopCodes.Normalize("ACD470")); // 0 is never used
        Assert.Null(WorkshopCodes.Normalize(null));
        Assert.Equal("ACD-479", WorkshopCodes.Display("ACD479"));
    }

    [Fact]
    public void Steps_follow_the_chosen_activities_and_moving_on_keeps_the_time_spent()
    {
        var workshop = NewWorkshop(a2: false);
        Assert.Equal([WorkshopStep.Arrival, WorkshopStep.Activity1, WorkshopStep.Activity3, WorkshopStep.Evaluation], workshop.Steps);
        Assert.Equal(WorkshopStep.Activity1, WorkshopRules.NextStep(workshop));

        WorkshopRules.OpenStep(workshop, WorkshopStep.Activity1, T0.AddMinutes(5));
        Assert.Equal(30 * 60, workshop.TimerSeconds); // the toolkit's 20–30 minutes, upper end
        WorkshopRules.OpenStep(workshop, WorkshopStep.Activity3, T0.AddMinutes(32));
        Assert.Equal(27 * 60, workshop.Activity1Seconds);
        Assert.Equal(45 * 60, workshop.TimerSeconds);
        Assert.Null(WorkshopRules.NextStep(workshop)); // the evaluation is opened on purpose, never as "next"
        Assert.Throws<Common.DomainRuleException>(() => WorkshopRules.OpenStep(workshop, WorkshopStep.Activity2, T0.AddMinutes(40)));

        WorkshopRules.End(workshop, T0.AddMinutes(50));
        Assert.Equal(18 * 60, workshop.Activity3Seconds);
        Assert.False(workshop.IsOpenAt(T0.AddMinutes(50)));
    }

    [Fact]
    public void The_evaluation_opens_from_any_step_and_leaves_the_activities_time_alone()
    {
        var workshop = NewWorkshop(a2: false);
        WorkshopRules.OpenStep(workshop, WorkshopStep.Activity1, T0);
        WorkshopRules.OpenStep(workshop, WorkshopStep.Evaluation, T0.AddMinutes(10));
        Assert.Equal(WorkshopStep.Evaluation, workshop.Step);
        Assert.Equal(10 * 60, workshop.Activity1Seconds);
        Assert.Null(WorkshopRules.NextStep(workshop));
        WorkshopRules.OpenStep(workshop, WorkshopStep.Activity3, T0.AddMinutes(40));
        Assert.Equal([10 * 60, 0, 0], new[] { workshop.Activity1Seconds, workshop.Activity2Seconds, workshop.Activity3Seconds });
    }

    [Fact]
    public void The_timer_starts_pauses_and_takes_five_more_minutes()
    {
        var workshop = NewWorkshop();
        WorkshopRules.OpenStep(workshop, WorkshopStep.Activity2, T0);
        Assert.Equal(25 * 60, WorkshopRules.RemainingSeconds(workshop, T0.AddMinutes(10))); // not started yet
        WorkshopRules.StartTimer(workshop, T0);
        WorkshopRules.PauseTimer(workshop, T0.AddMinutes(10));
        Assert.Equal(15 * 60, WorkshopRules.RemainingSeconds(workshop, T0.AddMinutes(30)));
        WorkshopRules.AddMinutes(workshop, 5);
        WorkshopRules.StartTimer(workshop, T0.AddMinutes(30));
        Assert.Equal(-60, WorkshopRules.RemainingSeconds(workshop, T0.AddMinutes(51))); // over time shows negative
    }

    [Fact]
    public void A_workshop_expires_by_itself()
    {
        var workshop = NewWorkshop();
        Assert.True(workshop.IsOpenAt(T0.AddHours(7.9)));
        Assert.False(workshop.IsOpenAt(T0.AddHours(8)));
        Assert.Equal(T0.AddHours(8), workshop.ClosedAt(T0.AddHours(9)));
    }

    [Fact]
    public void Round_robin_fills_the_emptiest_group_first_in_listed_order()
    {
        int[] groups = [7, 3, 9];
        Assert.Equal(7, WorkshopRules.RoundRobinGroup(groups, new Dictionary<int, int>()));
        Assert.Equal(3, WorkshopRules.RoundRobinGroup(groups, new Dictionary<int, int> { [7] = 1 }));
        Assert.Equal(9, WorkshopRules.RoundRobinGroup(groups, new Dictionary<int, int> { [7] = 2, [3] = 2, [9] = 1 }));
        Assert.Null(WorkshopRules.RoundRobinGroup([], new Dictionary<int, int>()));
    }

    [Fact]
    public void A_workshops_groups_keep_the_order_they_were_chosen_in_each_once()
    {
        var groups = WorkshopGroup.ListOf(districtId: 4, [12, 5, 12, 9]);
        Assert.Equal([12, 5, 9], groups.Select(g => g.RatingGroupId));
        Assert.Equal([0, 1, 2], groups.Select(g => g.Position));
        Assert.All(groups, g => Assert.Equal(4, g.DistrictId));
    }
}
