"""What consultants, quality leads and internal auditors hand over: cited drafts, audit
checklists and exported conversations or quizzes, as one document model
(``isoguide.deliverables.document``) that renders to Markdown, Word, Excel and JSON."""
