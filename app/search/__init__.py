"""Full-text search over the graph's labels, descriptions and verbatim source quotes (SQLite FTS5 with
Dutch Snowball stems). app.search.source reads the graph, app.search.index holds and queries the index,
app.search.service keeps it in step with the graph the app serves."""
