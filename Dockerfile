FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=inclusion.settings.base
WORKDIR /app
# DejaVu Sans: the PDFs' font, which draws the narrow no-break space of French numbers
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml build-constraints.txt README.md ./
RUN pip install --no-cache-dir --upgrade pip \
    && pip install --no-cache-dir --build-constraint build-constraints.txt .
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --system --home /app portail && chown -R portail /app
USER portail
EXPOSE 8000
CMD ["gunicorn", "inclusion.wsgi:application", "--bind", "0.0.0.0:8000"]
