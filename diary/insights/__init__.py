"""Pure computations over diary rows: no Flask, no SQL. Definitions are in docs/INSIGHTS.md."""
