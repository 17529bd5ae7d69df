"""Server-rendered web pages for researchers: home, region profiles, comparison, compliance,
frameworks and themes, and the SPARQL editor. Every fact shown comes from a named query in queries/."""
