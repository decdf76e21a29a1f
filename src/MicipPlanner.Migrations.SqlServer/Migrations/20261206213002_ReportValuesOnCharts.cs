using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MicipPlanner.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ReportValuesOnCharts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "SourceReportId",
                table: "PlanMeasureValues",
                type: "int",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasureValues_SourceReportId_MeasureId",
                table: "PlanMeasureValues",
                columns: new[] { "SourceReportId", "MeasureId" },
                unique: true,
                filter: "[SourceReportId] IS NOT NULL");

            migrationBuilder.AddForeignKey(
                name: "FK_PlanMeasureValues_BuildingReports_SourceReportId",
                table: "PlanMeasureValues",
                column: "SourceReportId",
                principalTable: "BuildingReports",
                principalColumn: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_PlanMeasureValues_BuildingReports_SourceReportId",
                table: "PlanMeasureValues");

            migrationBuilder.DropIndex(
                name: "IX_PlanMeasureValues_SourceReportId_MeasureId",
                table: "PlanMeasureValues");

            migrationBuilder.DropColumn(
                name: "SourceReportId",
                table: "PlanMeasureValues");
        }
    }
}
