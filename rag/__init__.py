"""rag-news: grounded, cited question answering over news articles."""
