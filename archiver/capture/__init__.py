"""Getting raw bytes in: files (Hexo posts, Markdown, JSON Lines), and later URLs and feeds."""
