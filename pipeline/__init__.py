"""The chain the DAGs run: crawl, load, translate, quality checks, maintenance; importable without Airflow."""
