{{ config(materialized='table', sort='city', dist='city') }}
select city, count(*) as customers, min(signed_up) as first_signed_up
from {{ ref('customers') }}
group by city
