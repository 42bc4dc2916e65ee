"""Machine-readable copies (issue 22): llms.txt, its pages, and every public question as
Markdown (faq/<slug>.md), made from the sanitised answer and kept like the pages."""
