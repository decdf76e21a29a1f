using MicipPlanner.Domain.Common;
using MicipPlanner.Domain.Organisation;
using MicipPlanner.Domain.Rubric;

namespace MicipPlanner.Domain.Tests;

public sealed class OrganisationRulesTests
{
    private static DistrictPermissions As(bool admin = false, bool facilitator = false, TeamRole? role = null, params int[] buildings) =>
        new(new DistrictActor(admin, facilitator, role, buildings));

    [Fact]
    public void Roles_table_of_the_design_holds()
    {
        var admin = As(admin: true);
        var facilitator = As(facilitator: true);
        var keyLeader = As(role: TeamRole.KeyLeader);
        var member = As(role: TeamRole.SystemsRepresentative);
        var building = As(buildings: 7);

        // see district dashboard, rubric, roll-up
        Assert.All(new[] { admin, facilitator, keyLeader, member, building }, p => Assert.True(p.CanViewDistrictWork));
        // manage buildings, teams, invitations, cycles
        Assert.Equal([true, true, true, false, false], new[] { admin, facilitator, keyLeader, member, building }.Select(p => p.CanManageOrganisation));
        // rate rubric
        Assert.Equal([false, true, true, true, false], new[] { admin, facilitator, keyLeader, member, building }.Select(p => p.CanRateRubric));
        // consensus and finalize
        Assert.Equal([false, true, true, false, false], new[] { admin, facilitator, keyLeader, member, building }.Select(p => p.CanRecordConsensus));
        // review templates; district template
        Assert.Equal([false, true, true, true, false], new[] { admin, facilitator, keyLeader, member, building }.Select(p => p.CanReviewTemplates));
        // build the plan, record check-ins (everyone who sees the dashboard reads it)
        Assert.Equal([false, true, true, true, false], new[] { admin, facilitator, keyLeader, member, building }.Select(p => p.CanBuildPlan));
        Assert.All(new[] { admin, facilitator, keyLeader, member, building }, p => Assert.True(p.CanViewPlan));
        // audit and export
        Assert.Equal([true, true, true, false, false], new[] { admin, facilitator, keyLeader, member, building }.Select(p => p.CanSeeAuditAndExport));
        // own building's template only
        Assert.True(building.CanEditBuildingTemplate(7));
        Assert.False(building.CanEditBuildingTemplate(8));
        Assert.False(keyLeader.CanEditBuildingTemplate(7));
        Assert.True(building.CanViewBuildingTemplate(7));
        Assert.False(building.CanViewBuildingTemplate(8));
        Assert.True(member.CanViewBuildingTemplate(8));
        Assert.False(building.CanSeeDistrictReports);
    }

    [Fact]
    public void A_person_with_no_tie_to_the_district_has_no_access()
    {
        Assert.False(new DistrictActor(false, false, null, []).HasAccess);
        var stranger = new DistrictPermissions(new DistrictActor(false, false, null, []));
        Assert.False(stranger.CanViewPlan);
        Assert.False(stranger.CanBuildPlan);
        Assert.True(new DistrictActor(false, false, null, [3]).HasAccess);
    }

    [Theory]
    [InlineData("2026-27", true, 2026)]
    [InlineData("2026-2027", true, 2026)]
    [InlineData(" 2099-00 ", true, 2099)]
    [InlineData("2026-28", false, 0)]
    [InlineData("2026", false, 0)]
    [InlineData("26-27", false, 0)]
    [InlineData("", false, 0)]
    [InlineData("abcd-ef", false, 0)]
    public void School_years_parse_only_consecutive_years(string text, bool valid, int startYear)
    {
        Assert.Equal(valid, SchoolYears.TryParse(text, out var parsed));
        Assert.Equal(startYear, parsed);
        if (valid) Assert.Equal(text.Trim()[..4] + "-" + ((startYear + 1) % 100).ToString("00"), SchoolYears.Format(startYear));
    }

    [Fact]
    public void School_year_turns_over_on_July_first()
    {
        Assert.Equal(2026, SchoolYears.Current(new DateOnly(2026, 11, 24)));
        Assert.Equal(2025, SchoolYears.Current(new DateOnly(2026, 6, 30)));
        Assert.Equal(2026, SchoolYears.Current(new DateOnly(2026, 7, 1)));
    }

    [Theory]
    [InlineData("01234", true)]
    [InlineData("1234", false)]
    [InlineData("123456", false)]
    [InlineData("12a45", false)]
    [InlineData("١٢٣٤٥", false)]
    [InlineData(null, false)]
    public void State_codes_are_exactly_five_ascii_digits(string? code, bool valid) => Assert.Equal(valid, StateCodes.IsValid(code));

    [Fact]
    public void Invitations_are_pending_until_accepted_or_expired()
    {
        var now = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        var invitation = new Invitation { CreatedAt = now, ExpiresAt = now + Invitation.Lifetime };
        Assert.Equal(InvitationState.Pending, invitation.StateAt(now.AddDays(13)));
        Assert.Equal(InvitationState.Expired, invitation.StateAt(now.AddDays(14)));
        invitation.AcceptedAt = now.AddDays(1);
        Assert.Equal(InvitationState.Accepted, invitation.StateAt(now.AddDays(20)));
    }

    [Fact]
    public void Open_action_items_past_their_due_date_are_overdue()
    {
        var today = new DateOnly(2026, 11, 24);
        Assert.True(new ActionItem { DueDate = today.AddDays(-1) }.IsOverdue(today));
        Assert.False(new ActionItem { DueDate = today }.IsOverdue(today));
        Assert.False(new ActionItem { DueDate = null }.IsOverdue(today));
        Assert.False(new ActionItem { DueDate = today.AddDays(-1), Status = ActionStatus.Done }.IsOverdue(today));
    }
}
