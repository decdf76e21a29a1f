using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MicipPlanner.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class DistrictPlanWindows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Districts that exist already get the product's windows (14 and 30 days), not 0.
            migrationBuilder.AddColumn<int>(
                name: "PlanApproachingDays",
                table: "Districts",
                type: "int",
                nullable: false,
                defaultValue: 14);

            migrationBuilder.AddColumn<int>(
                name: "PlanStaleAfterDays",
                table: "Districts",
                type: "int",
                nullable: false,
                defaultValue: 30);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PlanApproachingDays",
                table: "Districts");

            migrationBuilder.DropColumn(
                name: "PlanStaleAfterDays",
                table: "Districts");
        }
    }
}
