using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MicipPlanner.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class NetworkFiguresVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "FiguresVersion",
                table: "Networks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FiguresVersion",
                table: "Networks");
        }
    }
}
