{#- Rendered by src/table/ddl.rs: every value here is SQL text that ddl.rs built and quoted. -#}
CREATE EXTERNAL TABLE IF NOT EXISTS {{ table }} (
{% for c in columns %}
  {{ c }}{% if not loop.last %},{% endif %}

{% endfor %}
)
{% if partitions %}
PARTITIONED BY (
{% for p in partitions %}
  {{ p }}{% if not loop.last %},{% endif %}

{% endfor %}
)
{% endif %}
{% if format == "text" %}
ROW FORMAT DELIMITED
  FIELDS TERMINATED BY ' '
  NULL DEFINED AS '-'
STORED AS TEXTFILE
{% elif format == "regex" %}
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
WITH SERDEPROPERTIES (
  'input.regex' = {{ regex }}
)
STORED AS TEXTFILE
{% else %}
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
  OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
{% endif %}
LOCATION {{ location }}
{% if properties %}
TBLPROPERTIES (
{% for p in properties %}
  {{ p }}{% if not loop.last %},{% endif %}

{% endfor %}
)
{% endif %}
