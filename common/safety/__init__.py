"""The safety layer (issue 16; docs/safety.md): crisis lines by country (`models`,
`resources`, `countries`, `views`), the danger table that answers words signalling danger
with help for the writer alone (`table`, `registry`, `danger`, `rules/<language>.py`,
`answer`), and the public safety page (`page`). Nothing is re-exported here: `common.models`
imports the model, so importing this package must not touch the app registry."""
