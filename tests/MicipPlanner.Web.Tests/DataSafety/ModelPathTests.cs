using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Plan;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Data.Backup;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Tests.Support;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore.Metadata;

namespace MicipPlanner.Web.Tests.DataSafety;

/// <summary>
/// Walks the EF model: every table leads to its district by <see cref="DistrictPath"/>, the one rule the save pipeline
/// (data version, audit trail) and the backup follow, or is one of the installation's global tables, named here with the
/// reason. A new table the rule cannot place fails here rather than saving without raising its district's data version.
/// </summary>
public sealed class ModelPathTests(EmptyServerFactory factory) : IClassFixture<EmptyServerFactory>
{
    private static readonly Dictionary<Type, string> GlobalTables = new()
    {
        [typeof(AppUser)] = "a person may work for several districts; the backup carries the people its records name, matched by e-mail",
        [typeof(IdentityRole)] = "application roles, the same for every installation",
        [typeof(IdentityRoleClaim<string>)] = "claims of the application roles",
        [typeof(IdentityUserRole<string>)] = "a person's application roles (the backup carries them with the person)",
        [typeof(IdentityUserClaim<string>)] = "a person's sign-in claims",
        [typeof(IdentityUserLogin<string>)] = "a person's external sign-ins",
        [typeof(IdentityUserToken<string>)] = "a person's sign-in tokens (two-factor keys, recovery codes)",
        [typeof(DataProtectionKey)] = "this installation's keys for cookies and tokens",
        [typeof(Network)] = "a network joins several districts",
        [typeof(BenchmarkSnapshot)] = "a network's figures over all its districts",
        [typeof(CalendarFeed)] = "a person's own calendar subscription, over every district they own activities in",
    };

    private async Task<IModel> ModelAsync() => await factory.WithDbAsync(db => Task.FromResult(db.Model));

    [Fact]
    public async Task Every_table_leads_to_its_district_or_is_a_named_global_table()
    {
        var model = await ModelAsync();
        var withoutDistrict = model.GetEntityTypes().Where(t => DistrictPath.Of(t) is null).Select(t => t.ClrType).ToList();
        var unexplained = withoutDistrict.Where(t => !GlobalTables.ContainsKey(t)).Select(t => t.Name).ToList();
        Assert.True(unexplained.Count == 0,
            $"No path to a district (a DistrictId, or required references to a record with one): {string.Join(", ", unexplained)}. " +
            "Give the table its district, or name it a global table here with the reason.");
        // A table named global that has since gained a district must leave the list (and come into the backup).
        Assert.Empty(GlobalTables.Keys.Except(withoutDistrict).Select(t => t.Name));
    }

    [Fact]
    public async Task A_district_table_points_only_at_district_tables_and_people()
    {
        // A restore can only translate a reference to a record it restores, or to a person (matched by e-mail).
        var model = await ModelAsync();
        var archived = DistrictArchive.TableNames(model).ToHashSet();
        var stray = model.GetEntityTypes().Where(t => archived.Contains(t.ClrType.Name))
            .SelectMany(t => ModelReferences.Of(t).Select(r => (Table: t.ClrType.Name, Column: r.Property.Name, Principal: r.Principal.ClrType)))
            .Where(r => r.Principal != typeof(AppUser) && !archived.Contains(r.Principal.Name))
            .Select(r => $"{r.Table}.{r.Column} → {r.Principal.Name}").ToList();
        Assert.Empty(stray);
        // Everything with a district is archived, except what is carried otherwise, each with its reason.
        var owned = model.GetEntityTypes().Where(t => DistrictPath.Of(t) is not null).Select(t => t.ClrType).ToList();
        Assert.Equal(owned.Where(t => !DistrictArchive.CarriedOtherwise.ContainsKey(t)).Select(t => t.Name).Order(), archived.Order());
        Assert.All(DistrictArchive.CarriedOtherwise, c => Assert.Contains(c.Key, owned));
    }

    [Fact]
    public async Task Records_that_do_not_carry_their_district_reach_it_through_required_references()
    {
        var model = await ModelAsync();
        var member = model.FindEntityType(typeof(Domain.Rubric.RatingGroupMember))!;
        Assert.Equal(["RatingGroupId", "DistrictId"], DistrictPath.Of(member)!.Steps.Select(s => s.Property.Name));
        Assert.Equal([], DistrictPath.Of(model.FindEntityType(typeof(Domain.Organisation.District))!)!.Steps);
    }
}
