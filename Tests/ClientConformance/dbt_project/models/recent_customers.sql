{{ config(materialized='view') }}
select id, name from {{ ref('customers') }} where signed_up >= '2024-02-01'
