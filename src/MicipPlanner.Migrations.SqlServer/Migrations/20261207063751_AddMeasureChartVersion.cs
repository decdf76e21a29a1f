using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MicipPlanner.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AddMeasureChartVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ChartVersion",
                table: "PlanMeasures",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ChartVersion",
                table: "PlanMeasures");
        }
    }
}
